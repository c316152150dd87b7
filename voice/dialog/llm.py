"""Fallback for open questions: an OpenAI-compatible chat endpoint the user configured (Ollama, vLLM,
llama.cpp server …), streamed. It only ever produces text: actions come from the intent path alone."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

from voice.profile import LLMConfig, api_key

SYSTEM_PROMPT = ("你是一个中文语音助手。用简体中文口语回答，一到三句话，不超过80个字。"
                 "不要用列表、markdown、表情或链接。不知道就直说。不要声称执行了任何操作。")
OFFLINE_REPLY = "抱歉，这个问题我现在回答不了。"


class LLMError(RuntimeError):
    pass


class ChatClient:
    def __init__(self, config: LLMConfig):
        self.config = config

    def stream(self, question: str, history: list[dict] | None = None) -> Iterator[str]:
        """Text pieces as the server sends them (server-sent events, `stream: true`)."""
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, *(history or []),
                    {"role": "user", "content": question}]
        body = json.dumps({"model": self.config.model, "messages": messages, "stream": True,
                           "max_tokens": 200, "temperature": 0.3}).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        key = api_key(self.config)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        url = self.config.url.rstrip("/") + "/chat/completions"
        deadline = time.monotonic() + self.config.timeout_s
        try:
            with urllib.request.urlopen(urllib.request.Request(url, body, headers),
                                        timeout=self.config.timeout_s) as resp:
                for raw in resp:
                    if time.monotonic() > deadline:
                        raise LLMError(f"{url}: no complete answer within {self.config.timeout_s:g} s")
                    line = raw.decode("utf-8").strip()
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    try:
                        delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
                    except (ValueError, KeyError, IndexError) as exc:
                        raise LLMError(f"{url}: malformed stream event") from exc
                    if delta:
                        yield delta
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise LLMError(f"{url}: {getattr(exc, 'reason', exc)}") from None
