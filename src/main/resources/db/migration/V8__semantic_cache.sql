-- The semantic cache (issue 7): a video's prompt embedding is stored with what must match for its
-- media to serve another request (the render key: duration, aspect ratio, resolution, mode, tone,
-- style, voice, music, captions, reference image) and whose it is (the cache's default scope is
-- the user). A lookup filters on these first, then orders by cosine distance.
alter table prompt_embeddings add column render_key text;
alter table prompt_embeddings add column user_id text;
alter table prompt_embeddings add column prompt text;
create index prompt_embeddings_scope on prompt_embeddings (model, render_key, user_id);
