// The voice page: one WebSocket to /v1/stream; microphone audio or typed text in, events and reply audio out.
"use strict";

const $ = (id) => document.getElementById(id);
const STATES = { connecting: "正在连接…", listening: "在听", thinking: "在想", speaking: "在说", idle: "已连接",
                 error: "出错了" };
const HINTS = { connecting: "connecting", listening: "listening", thinking: "thinking", speaking: "speaking",
                idle: "connected", error: "error" };
let ws = null, replyRate = 24000, audioCtx = null, playHead = 0, sources = [], mic = null, backoff = 500;

function setState(s) {
  $("state").dataset.state = s;
  $("state").innerHTML = `${STATES[s]} <small>${HINTS[s]}</small>`;
}

function showError(text) { $("error").textContent = text; setState("error"); }

function token() { return sessionStorage.getItem("voice-token") || ""; }

function connect() {
  setState("connecting");
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const params = new URLSearchParams({ speak: $("speak").checked ? "true" : "false" });
  if (token()) params.set("token", token());
  if ($("voice").value) params.set("voice", $("voice").value);
  let ready = false;
  ws = new WebSocket(`${proto}//${location.host}/v1/stream?${params}`);
  ws.binaryType = "arraybuffer";
  ws.onmessage = (m) => (typeof m.data === "string" ? onEvent(JSON.parse(m.data)) : onAudio(m.data));
  ws.onopen = () => { backoff = 500; };
  ws.addEventListener("message", () => { ready = true; }, { once: true });
  ws.onclose = async () => {
    // a socket closed before it was ready, from a server that answers: it was refused (token missing or wrong)
    const up = !ready && await fetch("/healthz").then((r) => r.ok, () => false);
    if (up) {
      $("login").hidden = false;
      showError("需要访问令牌 (token required)");
      return;
    }
    showError("与服务器的连接断开了，正在重连… (server gone, reconnecting)");
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 10000);
  };
}

function onEvent(e) {
  switch (e.type) {
    case "ready":
      replyRate = e.reply_sample_rate || 24000;
      if (!$("voice").options.length) {
        for (const v of e.voices || []) $("voice").add(new Option(v, v, false, v === e.voice));
      }
      $("error").textContent = "";
      setState("idle");
      break;
    case "speech.start": setState("listening"); break;
    case "asr.partial": $("partial").textContent = e.text; break;
    case "asr.final": $("final").textContent = e.text; $("partial").textContent = ""; setState("thinking"); break;
    case "nlu.result": showIntent(e); break;
    case "reply.text": $("reply").textContent = e.text; break;
    case "barge_in": stopPlayback(); $("bargems").textContent = e.ms == null ? "" : `${Math.round(e.ms)} ms`; break;
    case "turn": showLatency(e); if ($("state").dataset.state === "thinking") setState("idle"); break;
    case "error": showError(e.message); break;
  }
}

function showIntent(e) {
  const card = $("intent");
  card.textContent = "";
  const name = document.createElement("strong");
  name.textContent = e.intent;
  card.append(name);
  for (const [k, v] of Object.entries(e.slots || {})) {
    const c = document.createElement("code");
    c.textContent = `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`;
    card.append(" ", c);
  }
}

function showLatency(e) {
  const ms = (v) => (v == null ? "–" : `${Math.round(v)} ms`);
  $("latency").textContent = `eou ${ms(e.eou_ms)} · asr ${ms(e.asr_ms)} · nlu ${ms(e.nlu_ms)} · ` +
    `first audio ${ms(e.tts_first_audio_ms)} · voice-to-voice ${ms(e.voice_to_voice_ms)}`;
}

function context() {
  if (!audioCtx) audioCtx = new AudioContext();
  if (audioCtx.state === "suspended") audioCtx.resume();
  return audioCtx;
}

function onAudio(buf) {
  const ctx = context();
  const pcm = new Int16Array(buf);
  if (!pcm.length) return;
  const audio = ctx.createBuffer(1, pcm.length, replyRate);
  const ch = audio.getChannelData(0);
  for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
  const src = ctx.createBufferSource();
  src.buffer = audio;
  src.connect(ctx.destination);
  playHead = Math.max(playHead, ctx.currentTime + 0.02);
  src.start(playHead);
  playHead += audio.duration;
  sources.push(src);
  src.onended = () => {
    sources = sources.filter((s) => s !== src);
    if (!sources.length && $("state").dataset.state === "speaking") setState(mic ? "listening" : "idle");
  };
  $("played").textContent = String(Number($("played").textContent) + 1);
  setState("speaking");
}

function stopPlayback() {
  if (sources.length) $("barged").textContent = String(Number($("barged").textContent) + 1);
  for (const s of sources) { try { s.stop(); } catch (_) { /* already ended */ } }
  sources = [];
  playHead = 0;
}

async function startMic() {
  const ctx = context();
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(
      { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 } });
  } catch (err) {
    showError(`无法使用麦克风 (microphone refused): ${err.name}`);
    return;
  }
  await ctx.audioWorklet.addModule("/web/capture.js");
  const source = ctx.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(ctx, "capture");
  node.port.onmessage = (m) => {
    const f = m.data;
    let sum = 0;
    const pcm = new Int16Array(f.length);
    for (let i = 0; i < f.length; i++) {
      const v = Math.max(-1, Math.min(1, f[i]));
      pcm[i] = v * 32767;
      sum += v * v;
    }
    $("level").value = Math.min(1, Math.sqrt(sum / f.length) * 4);
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(pcm.buffer);
  };
  source.connect(node);
  mic = { stream, source, node };
  $("mic").setAttribute("aria-pressed", "true");
  setState("listening");
}

function stopMic() {
  if (!mic) return;
  mic.source.disconnect();
  mic.node.disconnect();
  for (const t of mic.stream.getTracks()) t.stop();
  mic = null;
  $("mic").setAttribute("aria-pressed", "false");
  $("level").value = 0;
  setState("idle");
}

window.addEventListener("DOMContentLoaded", () => {
  $("mic").addEventListener("click", () => (mic ? stopMic() : startMic()));
  // push-to-talk: the microphone is open only while the button is held
  $("hold").addEventListener("pointerdown", () => { if (!mic) startMic(); });
  for (const ev of ["pointerup", "pointerleave", "pointercancel"]) {
    $("hold").addEventListener(ev, () => { if (mic) setTimeout(stopMic, 600); });  // let the last syllable out
  }
  $("typed").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("text").value.trim();
    if (!text || !ws || ws.readyState !== WebSocket.OPEN) return;
    context();  // a user gesture: audio may play from now on
    ws.send(JSON.stringify({ type: "text", text }));
    $("final").textContent = text;
    $("text").value = "";
    setState("thinking");
  });
  $("login").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem("voice-token", $("token").value);
    $("login").hidden = true;
    connect();
  });
  for (const id of ["speak", "voice"]) {
    $(id).addEventListener("change", () => { if (ws) { ws.onclose = null; ws.close(); } connect(); });
  }
  connect();
});
