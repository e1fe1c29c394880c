#!/usr/bin/env node
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFileLines } from './adapters/files/readLines.js';
import { exportLog, importLog } from './application/maintenance/backup.js';
import { openStore } from './compose.js';
import { loadConfig } from './config/config.js';

const USAGE = `usage: wokibrain <command>
  serve             run the HTTP server (default)
  migrate           create or update the store's schema
  rebuild           replay the event log into fresh projections
  backup <file>     write the whole event log to a JSON Lines file
  restore <file>    load a JSON Lines backup into an empty store
The store is chosen by STORE (sqlite | postgres | memory), DATA_DIR and DATABASE_URL.`;

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openStore>>['store']) => Promise<T>): Promise<T> {
  const { store, name } = await openStore(loadConfig());
  console.error(`store: ${name}`);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', file] = argv;
  switch (command) {
    case 'serve': {
      // Loaded only here: the HTTP stack is most of what a maintenance command would load for nothing.
      const { serve } = await import('./serve.js');
      return serve(loadConfig());
    }
    case 'migrate':
      await withStore(async () => undefined);
      console.log('schema is up to date');
      return;
    case 'rebuild':
      await withStore(async (store) => {
        await store.rebuildProjections();
        console.log(`projections rebuilt: ${JSON.stringify(await store.counts())}`);
      });
      return;
    case 'backup': {
      if (!file) throw new Error('backup needs a file name');
      const lines = await withStore(async (store) => {
        const out = createWriteStream(file);
        let count = 0;
        for await (const line of exportLog(store)) {
          if (!out.write(`${line}\n`)) await once(out, 'drain');
          count++;
        }
        out.end();
        await once(out, 'finish');
        return count - 1;
      });
      console.log(`backed up ${lines} events to ${file}`);
      return;
    }
    case 'restore': {
      if (!file) throw new Error('restore needs a file name');
      // Pulled line by line: a reader that pushes lines would drop those emitted while the store answers.
      const count = await withStore((store) => importLog(store, readFileLines(file)));
      console.log(`restored ${count} events from ${file}`);
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
