"""The OpenAPI 3.1 description of the REST API, served at /api/openapi.json."""
from __future__ import annotations

from typing import Any

_ERROR = {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_SIGNED_IN = {"description": "signed in; also sets the kindred_session cookie",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignedIn"}}}}
_CREDENTIALS = {"required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}}


def _json_ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def _get(summary: str, description: str, schema: dict[str, Any] | None = None, *, auth: bool = True,
         limit: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": {"200": _json_ok(description, schema)}}
    if auth:
        operation["responses"]["401"] = _ERROR
    else:
        operation["security"] = []
    if limit:
        operation["parameters"] = [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                             "maximum": 500}}]
    return {"get": operation}


def _memories_list() -> dict[str, Any]:
    schema = {"type": "object", "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Memory"}},
        "can_edit": {"type": "boolean"}, "note": {"type": "string"}}}
    path = _get("What Kindred remembers about the signed-in user: kept memories first, then their own words",
                "memories", schema, limit=True)
    path["get"]["parameters"].append({"name": "turns", "in": "query", "description": "0 leaves raw turns out",
                                      "schema": {"enum": ["0", "1"]}})
    return path


def _api_key_paths() -> dict[str, Any]:
    """The page's API keys and the OpenAI-compatible endpoint they open (docs/integrations.md)."""
    key_only: list[dict[str, list[str]]] = [{"apiKey": []}]
    return {
        "/api/keys": {**_get("The signed-in user's API keys (ids, labels, last use; never the keys)", "keys"),
                      "post": {"summary": "Make an API key: {label}; the answer holds the key, shown only this once",
                               "responses": {"201": _json_ok("the key and its record"), "400": _ERROR,
                                             "401": _ERROR}}},
        "/api/keys/{key_id}": {"delete": {
            "summary": "Revoke one of the user's API keys",
            "parameters": [{"name": "key_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _json_ok("revoked"), "401": _ERROR, "404": _ERROR}}},
        "/v1/models": {"get": {"summary": "OpenAI-compatible: the one model, 'kindred'", "security": key_only,
                               "responses": {"200": _json_ok("model list"), "401": _ERROR}}},
        "/v1/chat/completions": {"post": {
            "summary": "OpenAI-compatible chat: the newest user message is Kindred's turn (stream: true for SSE "
                       "chat.completion.chunk events ending with [DONE]); her reading of the turn is in the "
                       "'kindred' field of the reply or of the last chunk",
            "security": key_only,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["messages"],
                "properties": {"model": {"enum": ["kindred"]}, "stream": {"type": "boolean"},
                               "messages": {"type": "array", "items": {"type": "object"}}}}}}},
            "responses": {"200": _json_ok("chat.completion, or text/event-stream when streaming"),
                          "400": _ERROR, "401": _ERROR, "404": _ERROR, "413": _ERROR, "429": _ERROR,
                          "503": _ERROR}}},
    }


def openapi_spec() -> dict[str, Any]:
    turn_list = {"type": "object", "properties": {"turns": {"type": "array",
                                                            "items": {"$ref": "#/components/schemas/Turn"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kindred", "version": "0.1.0",
                 "description": "A local-first AI companion. Conversation streams over the WebSocket "
                                "/api/conversation (send {\"type\": \"say\", \"text\": ...}); REST covers "
                                "sign-in, history, memories, feedback and export."},
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": {
            "/health": _get("Ready (the store takes writes; 503 if not), alive, and which model it runs", "status",
                            auth=False),
            "/health/live": _get("Alive: the process answers (for restarts; readiness is /health)", "status",
                                 auth=False),
            "/api/session": _get("Who is signed in, and what the page can offer", "session", auth=False),
            "/api/accounts": {"post": {"summary": "Create an account (when sign-up is open)", "security": [],
                                       "requestBody": _CREDENTIALS,
                                       "responses": {"201": _SIGNED_IN, "400": _ERROR}}},
            "/api/login": {"post": {"summary": "Sign in", "security": [], "requestBody": _CREDENTIALS,
                                    "responses": {"200": _SIGNED_IN, "401": _ERROR}}},
            "/api/logout": {"post": {"summary": "Sign out (revokes the token)",
                                     "responses": {"200": _json_ok("signed out")}}},
            "/api/history": _get("The signed-in user's conversation, oldest first", "turns", turn_list, limit=True),
            "/api/memories": _memories_list(),
            "/api/memories/{memory_id}": {
                "parameters": [{"name": "memory_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1}}],
                "patch": {"summary": "Correct one of the user's memories: {text}; the old text stays in its history",
                          "requestBody": {"required": True, "content": {"application/json": {"schema": {
                              "type": "object", "required": ["text"],
                              "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 2000}}}}}},
                          "responses": {"200": _json_ok("the edited memory", {
                              "type": "object", "properties": {"item": {"$ref": "#/components/schemas/Memory"}}}),
                              "400": _ERROR, "401": _ERROR, "404": _ERROR, "409": _ERROR}},
                "delete": {"summary": "Forget one of the user's memories for real (row, vector, history)",
                           "responses": {"200": _json_ok("forgotten", {
                               "type": "object", "properties": {"forgotten": {"type": "integer"}}}),
                               "400": _ERROR, "401": _ERROR, "404": _ERROR, "409": _ERROR}}},
            "/api/feedback": {"post": {
                "summary": "Thumbs up or down on one of the user's replies (null clears it)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["turn_id", "rating"],
                    "properties": {"turn_id": {"type": "string"},
                                   "rating": {"enum": ["up", "down", None]}}}}}},
                "responses": {"200": _json_ok("stored"), "400": _ERROR, "401": _ERROR}}},
            "/api/learned": {**_get("What Kindred has learned about the user (lines and editable values)", "learned"),
                             "post": {"summary": "Edit one learned preference: {field, value}; lists take +x / -x",
                                      "responses": {"200": _json_ok("learned"), "400": _ERROR, "401": _ERROR}},
                             "delete": {"summary": "Forget everything learned from feedback",
                                        "responses": {"200": _json_ok("learned"), "401": _ERROR}}},
            "/api/checkins": _get("Pending check-ins and whether they are on", "check-ins"),
            "/api/checkins/settings": {"post": {"summary": "Opt in or out of check-ins: {enabled}",
                                                "responses": {"200": _json_ok("check-ins"), "400": _ERROR}}},
            "/api/checkins/{checkin_id}": {"delete": {
                "summary": "Cancel one pending check-in",
                "parameters": [{"name": "checkin_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json_ok("check-ins"), "400": _ERROR, "401": _ERROR}}},
            "/api/timezone": {"post": {
                "summary": "The browser's time zone, {timezone: 'Asia/Seoul'}: check-ins follow it unless the person "
                           "chose one",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["timezone"], "properties": {"timezone": {"type": "string"}}}}}},
                "responses": {"200": _json_ok("the zone in effect"), "400": _ERROR, "401": _ERROR}}},
            "/api/export": _get("Everything stored for the user, as one JSON file", "export"),
            **_api_key_paths(),
            "/api/openapi.json": _get("This description", "OpenAPI document", auth=False),
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "apiKey": {"type": "http", "scheme": "bearer",
                                           "description": "an API key (kindred keys create), for /v1 only"},
                                "cookie": {"type": "apiKey", "in": "cookie", "name": "kindred_session"}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}, "hint": {"type": "string"},
                    "type": {"type": "string", "description": "the OpenAI error type for its status"}}}}},
                "Credentials": {"type": "object", "required": ["name", "password"],
                                "properties": {"name": {"type": "string", "maxLength": 40},
                                               "password": {"type": "string", "minLength": 8}}},
                "SignedIn": {"type": "object", "properties": {"user": {"type": "string"},
                                                              "token": {"type": "string"}}},
                "Memory": {"type": "object", "properties": {
                    "id": {"type": ["integer", "string"]},
                    "kind": {"enum": ["fact", "emotion", "open", "summary", "turn", "said"]},
                    "topic": {"type": "string"}, "text": {"type": "string"}, "when": {"type": "string"},
                    "event_date": {"type": ["string", "null"]}, "status": {"type": "string"},
                    "updated_at": {"type": "string"}}},
                "Turn": {"type": "object", "properties": {
                    "turn_id": {"type": "string"}, "role": {"enum": ["user", "assistant"]},
                    "text": {"type": "string"}, "language": {"type": "string"}, "status": {"type": "string"},
                    "created_at": {"type": "string"}, "session_id": {"type": "string"},
                    "rating": {"enum": ["up", "down", None]}}},
            },
        },
    }
