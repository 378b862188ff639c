"""Tests of the web server: REST, WebSocket, accounts, isolation, guards."""
