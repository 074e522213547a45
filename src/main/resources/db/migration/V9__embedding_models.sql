-- Embeddings of any model (issue 7): the column takes vectors of any dimension, and each model has
-- its own partial HNSW index over its vectors cast to its dimension (pgvector's recipe for mixed
-- dimensions). A lookup names its model in the WHERE clause and casts to its dimension, so a
-- vector is only ever compared with vectors of the same model. The index of the in-process model
-- is made here; PromptIndex makes the index of any other configured model when it starts.
drop index if exists prompt_embeddings_hnsw;
alter table prompt_embeddings alter column embedding type vector;
create index prompt_embeddings_hnsw_all_minilm_l6_v2_q on prompt_embeddings
    using hnsw ((embedding::vector(384)) vector_cosine_ops) where model = 'all-minilm-l6-v2-q';
-- The exact-match lookup in the global scope (the user scope uses videos_user_prompt_recent).
create index videos_prompt_hash_succeeded on videos (prompt_hash) where status = 'succeeded';
