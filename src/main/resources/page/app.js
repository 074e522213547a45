// Reelflow's page: a thin client of the public API (/v1). Every state shown comes from the
// status document (GET /v1/videos/{id}); the event stream only says when to read it again.
"use strict";

const $ = (id) => document.getElementById(id);
const videos = new Map();   // id -> latest status document (or summary until it is read)
const streams = new Map();  // id -> AbortController of its event stream
let key = localStorage.getItem("reelflow.key") || "";

const WHAT = {
  queued: (v) => v.queue_position ? `Waiting to start (position ${v.queue_position} in the queue)` : "Waiting to start",
  planning: () => "Planning the scenes",
  generating: (v) => {
    const scenes = v.scenes || [];
    const done = scenes.filter((s) => s.status === "succeeded").length;
    return scenes.length ? `Making the scenes: ${done} of ${scenes.length} done` : "Making the scenes";
  },
  composing: () => "Putting the final video together",
  succeeded: (v) => v.cached_from ? "Ready (an identical earlier video, served at once)" : "Ready",
  failed: (v) => v.error ? `Failed: ${v.error.message || v.error.code} (${v.error.code})` : "Failed",
  canceled: () => "Canceled",
  expired: () => "Expired: the media was deleted after the retention period",
};
const FINISHED = new Set(["succeeded", "failed", "canceled", "expired"]);

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: `Bearer ${key}` }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (!response.ok && response.status !== 304) {
    let problem = { title: response.statusText, status: response.status };
    try { problem = await response.json(); } catch (e) { /* not JSON */ }
    const error = new Error(problem.detail || problem.title || `HTTP ${response.status}`);
    error.problem = problem;
    throw error;
  }
  return response;
}

function useKey(value) {
  key = value.trim();
  localStorage.setItem("reelflow.key", key);
  $("api-key").value = key;
  streams.forEach((c) => c.abort());
  streams.clear();
  videos.clear();
  render();
  loadVideos();
}

async function loadVideos() {
  if (!key) { $("key-state").textContent = "Paste an API key to start."; return; }
  try {
    const page = await (await api("/v1/videos?limit=20")).json();
    $("key-state").textContent = "Key accepted.";
    for (const summary of page.data) {
      videos.set(summary.id, Object.assign({}, videos.get(summary.id), summary));
      refresh(summary.id);
    }
    render();
  } catch (e) {
    $("key-state").textContent = e.problem && e.problem.status === 401 ? "This key is not valid." : e.message;
  }
}

async function refresh(id) {
  try {
    const doc = await (await api(`/v1/videos/${id}`)).json();
    videos.set(id, doc);
    render();
    if (!FINISHED.has(doc.status) && !streams.has(id)) follow(id);
  } catch (e) { /* the next event or reload tries again */ }
}

// Reads the video's Server-Sent Events with fetch (EventSource cannot send the key) and reads the
// status document again on each event; resumes after a dropped stream with Last-Event-ID.
async function follow(id, lastEventId) {
  const controller = new AbortController();
  streams.set(id, controller);
  const headers = { Accept: "text/event-stream" };
  if (lastEventId) headers["Last-Event-ID"] = lastEventId;
  let last = lastEventId;
  try {
    const response = await api(`/v1/videos/${id}/events`, { headers, signal: controller.signal });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const idLine = block.split("\n").find((l) => l.startsWith("id:"));
        if (idLine) last = idLine.slice(3).trim();
        if (block.split("\n").some((l) => l.startsWith("event:"))) await refresh(id);
      }
    }
  } catch (e) {
    if (controller.signal.aborted) return;
  } finally {
    if (streams.get(id) === controller) streams.delete(id);
  }
  const doc = videos.get(id);
  if (doc && !FINISHED.has(doc.status)) setTimeout(() => follow(id, last), 1000);
}

async function submit(event) {
  event.preventDefault();
  const error = $("submit-error");
  error.hidden = true;
  const body = {
    prompt: $("prompt").value,
    duration_seconds: Number($("duration").value),
    aspect_ratio: $("aspect").value,
    resolution: $("resolution").value,
    mode: $("mode").value,
    music: $("music").checked,
    captions: $("captions").checked,
  };
  if ($("tone").value.trim()) body.tone = $("tone").value.trim();
  if ($("style").value.trim()) body.style = $("style").value.trim();
  $("submit-button").disabled = true;
  try {
    const accepted = await (await api("/v1/videos", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(body),
    })).json();
    videos.set(accepted.id, Object.assign({ prompt: body.prompt }, accepted));
    render();
    refresh(accepted.id);
    $("prompt").value = "";
  } catch (e) {
    const fields = (e.problem && e.problem.errors || []).map((f) => `${f.field}: ${f.message}`).join("\n");
    error.textContent = `${e.message}${fields ? "\n" + fields : ""}`;
    error.hidden = false;
  } finally {
    $("submit-button").disabled = false;
  }
}

async function act(id, path, label) {
  try {
    await api(path, { method: "POST" });
    refresh(id);
  } catch (e) {
    alert(`${label} failed: ${e.message}`);
  }
}

async function media(id) {
  const blob = await (await api(`/v1/videos/${id}/content?redirect=false`)).blob();
  return URL.createObjectURL(blob);
}

async function play(id, card) {
  let player = card.querySelector("video");
  if (!player) {
    player = document.createElement("video");
    player.controls = true;
    player.dataset.id = id;
    card.appendChild(player);
  }
  player.src = await media(id);
  await player.play().catch(() => { /* autoplay may be refused; the controls are there */ });
}

async function download(id) {
  const link = document.createElement("a");
  link.href = await media(id);
  link.download = `reelflow-${id}.mp4`;
  link.click();
}

function button(text, onClick, secondary) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (secondary) b.className = "secondary";
  b.addEventListener("click", onClick);
  return b;
}

function render() {
  const list = $("videos");
  $("empty").hidden = videos.size > 0;
  const ordered = [...videos.values()].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  for (const v of ordered) {
    let card = list.querySelector(`li[data-id="${v.id}"]`);
    if (!card) {
      card = document.createElement("li");
      card.className = "video";
      card.dataset.id = v.id;
      card.innerHTML = '<div class="top"><span class="prompt"></span><span class="badge"></span></div>'
        + '<p class="what" role="status"></p><progress max="100"></progress><ol class="scenes"></ol>'
        + '<div class="actions"></div>';
      list.appendChild(card);
    }
    const status = v.status || "queued";
    card.dataset.status = status;
    card.querySelector(".prompt").textContent = v.prompt || "";
    const badge = card.querySelector(".badge");
    badge.textContent = status;
    badge.className = `badge ${status}`;
    card.querySelector(".what").textContent = (WHAT[status] || (() => status))(v);
    const bar = card.querySelector("progress");
    bar.value = v.progress || 0;
    bar.hidden = FINISHED.has(status);
    const scenes = card.querySelector("ol.scenes");
    scenes.innerHTML = "";
    for (const s of v.scenes || []) {
      const item = document.createElement("li");
      item.className = s.status;
      item.textContent = `${s.headline} (${s.duration_seconds} s): ${s.status}`
        + (s.retry_count ? `, retried ${s.retry_count}×` : "") + (s.error ? ` (${s.error.code})` : "");
      scenes.appendChild(item);
    }
    const actions = card.querySelector(".actions");
    actions.innerHTML = "";
    if (!FINISHED.has(status)) {
      actions.appendChild(button("Cancel", () => act(v.id, `/v1/videos/${v.id}/cancel`, "Cancel"), true));
    }
    if (status === "succeeded") {
      actions.appendChild(button("Play", () => play(v.id, card)));
      actions.appendChild(button("Download", () => download(v.id), true));
    }
    if (status === "failed") {
      for (const s of (v.scenes || []).filter((x) => x.status === "failed")) {
        actions.appendChild(button(`Retry scene ${s.sequence + 1}`,
          () => act(v.id, `/v1/videos/${v.id}/scenes/${s.sequence}/retry`, "Retry"), true));
      }
    }
  }
  ordered.forEach((v) => list.appendChild(list.querySelector(`li[data-id="${v.id}"]`)));
}

$("key-form").addEventListener("submit", (e) => { e.preventDefault(); useKey($("api-key").value); });
$("submit-form").addEventListener("submit", submit);
if (key) useKey(key);
else $("key-state").textContent = "Paste an API key to start (scripts/apikey, or data/local-api-key locally).";
