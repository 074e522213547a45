-- The semantic cache's vectors, hash-partitioned by render key (issue 7). A lookup only compares
-- videos of one render key, so it reads one partition of 32: in the global scope pgvector walks
-- a graph that holds a few render keys instead of all of them, and its filter drops a few rows
-- instead of hundreds (pgvector's own advice for filtering on a column of many values). Measured
-- in docs/benchmarks.md. The key becomes part of the primary key (a partitioned table's unique
-- keys must hold the partition key); a video still has one row, written once by PromptIndex.store.
-- Rows without a render key (stored before V8) never matched a lookup and are not copied.
alter table prompt_embeddings rename to prompt_embeddings_v10;
alter index prompt_embeddings_scope rename to prompt_embeddings_v10_scope;
alter index prompt_embeddings_hnsw_all_minilm_l6_v2_q rename to prompt_embeddings_v10_hnsw;

create table prompt_embeddings (
    video_id    uuid        not null references videos (id) on delete cascade,
    model       text        not null,
    embedding   vector      not null,
    render_key  text        not null,
    user_id     text,
    prompt      text,
    created_at  timestamptz not null default now(),
    primary key (video_id, render_key)
) partition by hash (render_key);

do $$
begin
    for p in 0..31 loop
        execute format('create table prompt_embeddings_p%s partition of prompt_embeddings'
                       ' for values with (modulus 32, remainder %s)', p, p);
    end loop;
end $$;

insert into prompt_embeddings (video_id, model, embedding, render_key, user_id, prompt, created_at)
select video_id, model, embedding, render_key, user_id, prompt, created_at
  from prompt_embeddings_v10 where render_key is not null;
drop table prompt_embeddings_v10;

create index prompt_embeddings_scope on prompt_embeddings (model, render_key, user_id);
-- The in-process model's index; PromptIndex.ensureIndex makes any other model's, partition by partition.
create index prompt_embeddings_hnsw_all_minilm_l6_v2_q on prompt_embeddings
    using hnsw ((embedding::vector(384)) vector_cosine_ops) where model = 'all-minilm-l6-v2-q';
