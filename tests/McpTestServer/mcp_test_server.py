#!/usr/bin/env python3
"""A minimal MCP server over stdio (newline-delimited JSON-RPC) for Agentry's tests.

Tools: read (echoes the path and the MCP_TEST_PREFIX environment variable), search (lists matches) and
fail (always answers an error result).
"""
import json
import os
import sys

TOOLS = [
    {"name": "read", "description": "Reads a file.",
     "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}},
    {"name": "search", "description": "Searches files.",
     "inputSchema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}},
    {"name": "fail", "description": "Always fails.",
     "inputSchema": {"type": "object", "properties": {}}},
]


def call(name, arguments):
    prefix = os.environ.get("MCP_TEST_PREFIX", "")
    if name == "read":
        return {"content": [{"type": "text", "text": f"{prefix}contents of {arguments.get('path')}"}], "isError": False}
    if name == "search":
        return {"content": [{"type": "text", "text": f"{prefix}found {arguments.get('query')} in notes.md"}], "isError": False}
    if name == "fail":
        return {"content": [{"type": "text", "text": "the file is locked"}], "isError": True}
    return None


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        message = json.loads(line)
        if "id" not in message:
            continue
        method = message.get("method")
        params = message.get("params") or {}
        if method == "initialize":
            result = {"protocolVersion": params.get("protocolVersion", "2025-06-18"),
                      "capabilities": {"tools": {}},
                      "serverInfo": {"name": "agentry-test", "version": "1.0.0"}}
        elif method == "tools/list":
            result = {"tools": TOOLS}
        elif method == "tools/call":
            result = call(params.get("name"), params.get("arguments") or {})
            if result is None:
                reply = {"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32602, "message": "unknown tool"}}
                sys.stdout.write(json.dumps(reply) + "\n")
                sys.stdout.flush()
                continue
        elif method == "ping":
            result = {}
        else:
            reply = {"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": "method not found"}}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
            continue
        sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
