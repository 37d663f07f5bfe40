// Drives the official engine.io-client of every Socket.IO generation against an Engine.IO
// echo server: each sends a text and a binary message over each transport mode and checks the
// echo. Prints one JSON line per case; used by EngineIoOfficialClientTests.
"use strict";
const path = require("path");
const modules = path.join(__dirname, "..", "js", "node_modules");
const clients = {
  "1.8 (EIO 3)": path.join(modules, "engine.io-client"),
  "3.5 (EIO 3)": path.join(modules, "socket.io-client-2", "node_modules", "engine.io-client"),
  "4.1 (EIO 4)": path.join(modules, "socket.io-client-3", "node_modules", "engine.io-client"),
  "6.6 (EIO 4)": path.join(modules, "socket.io-client-4", "node_modules", "engine.io-client"),
};
const url = process.argv[2];

function runCase(client, modulePath, transports) {
  const loaded = require(modulePath);
  const Socket = loaded.Socket || loaded;
  return new Promise((resolve) => {
    const socket = new Socket(url, { path: "/engine.io", transports });
    const received = [];
    const result = { client, transports: transports.join("+"), ok: false };
    const finish = (error) => {
      clearTimeout(timer);
      result.received = received;
      result.transport = socket.transport && socket.transport.name;
      if (error) result.error = error;
      socket.removeAllListeners("close");
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish("timeout"), 10000);
    const sendBoth = () => {
      socket.send("héllo €");
      socket.send(Buffer.from([1, 2, 3]));
    };
    socket.on("open", () => {
      // With both transports, send once upgraded so the WebSocket carries the messages.
      if (transports.length > 1) socket.on("upgrade", sendBoth);
      else sendBoth();
    });
    socket.on("message", (message) => {
      received.push(typeof message === "string" ? message : Array.from(new Uint8Array(message)).join(","));
      if (received.length === 2) {
        result.ok = received[0] === "héllo €" && received[1] === "1,2,3"
          && result.transports.endsWith(socket.transport.name);
        finish();
      }
    });
    socket.on("close", (reason) => finish("closed: " + reason));
    socket.on("error", (error) => finish("error: " + (error && error.message)));
  });
}

(async () => {
  for (const [client, modulePath] of Object.entries(clients)) {
    for (const transports of [["polling", "websocket"], ["polling"], ["websocket"]]) {
      console.log(JSON.stringify(await runCase(client, modulePath, transports)));
    }
  }
  process.exit(0);
})();
