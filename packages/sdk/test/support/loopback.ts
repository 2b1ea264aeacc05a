import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServedApp } from './correlation-contract.js';

/** Waits for a server told to listen on 127.0.0.1; its URL, and a close that drops open connections. */
export async function onLoopback(server: Server): Promise<ServedApp> {
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = once(server, 'close');
      server.closeAllConnections();
      server.close();
      await closed;
    },
  };
}
