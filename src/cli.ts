#!/usr/bin/env node
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFileLines } from './adapters/files/readLines.js';
import { exportLog, importLog } from './application/maintenance/backup.js';
import { openStore } from './compose.js';
import { loadConfig } from './config/config.js';

const USAGE = `usage: wokibrain <command>
  serve             run the HTTP server (default)
  migrate           create or update the store's schema
  rebuild           replay the event log into fresh projections, in batches; a rerun
                    after an interruption goes on from the last batch committed
  backup <file>     write the whole event log to a JSON Lines file
  restore <file>    load a JSON Lines backup into an empty store, in batches; a rerun
                    of an interrupted restore goes on where it stopped
While a rebuild or restore is unfinished, readiness fails (the projections do not
match the whole log); progress goes to stderr.
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

/** Progress on stderr, at most about once a second, and always at the end: "rebuild: 120,000/300,000 events, 40%". */
function progressPrinter(label: string): (progress: { done: number; total: number | undefined }) => void {
  let shown = 0;
  return ({ done, total }) => {
    const now = performance.now();
    const finished = total !== undefined && done >= total;
    if (!finished && now - shown < 1000) return;
    shown = now;
    const share = total ? `/${total.toLocaleString('en')} events, ${Math.floor((100 * Math.min(done, total)) / total)}%` : ' events';
    console.error(`${label}: ${done.toLocaleString('en')}${share}`);
  };
}

/** Lines in a file that hold something, less the header: the events of a backup (and its guest profiles, a few at the end): for progress. */
async function countEvents(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  return Math.max(0, lines + (last === 10 ? 0 : 1) - 1);
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
        const job = await store.unfinishedJob?.();
        if (job?.kind === 'rebuild') console.error(`rebuild: resuming at ${job.done.toLocaleString('en')} events`);
        await store.rebuildProjections({ onProgress: progressPrinter('rebuild') });
        console.log(`projections rebuilt: ${JSON.stringify(await store.counts())}`);
      });
      return;
    case 'backup': {
      if (!file) throw new Error('backup needs a file name');
      const written = await withStore(async (store) => {
        const out = createWriteStream(file);
        const count = { lines: 0, guests: 0 };
        for await (const line of exportLog(store)) {
          if (!out.write(`${line}\n`)) await once(out, 'drain');
          count.lines++;
          if (line.startsWith('{"guest":')) count.guests++;
        }
        out.end();
        await once(out, 'finish');
        return { events: count.lines - 1 - count.guests, guests: count.guests };
      });
      console.log(`backed up ${written.events} events and ${written.guests} guest profiles to ${file}`);
      return;
    }
    case 'restore': {
      if (!file) throw new Error('restore needs a file name');
      // Pulled line by line: a reader that pushes lines would drop those emitted while the store answers.
      const total = await countEvents(file);
      const count = await withStore(async (store) => {
        const job = await store.unfinishedJob?.();
        if (job?.kind === 'restore') console.error('restore: resuming after the last batch committed');
        return importLog(store, readFileLines(file), { total, onProgress: progressPrinter('restore') });
      });
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
