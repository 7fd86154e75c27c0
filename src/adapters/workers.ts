/**
 * Worker threads for CPU-heavy work (parsing batches, rendering PDFs). A worker file sits beside the
 * module that starts it; when the app runs from TypeScript sources (tests, scripts) the worker first
 * registers tsx and then imports the .ts file, when it runs from dist/ it is plain JavaScript.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The URL of the worker module `name` beside `fromUrl`, with the same extension as `fromUrl`. */
export function siblingModule(fromUrl: string, name: string): URL {
  const ext = fromUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, fromUrl);
}

export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  // tsx is a development dependency: only source runs (tests, scripts) come here.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}
