/**
 * Benchmarks: `npm run bench -- <name>`, or every one without a name. Each prints its figures and
 * the ratio to the raw building block measured in the same run (DESIGN.md §8).
 */
const BENCHES: Record<string, () => Promise<void>> = {
  import: async () => (await import('./import.js')).run(),
  notices: async () => (await import('./notices.js')).run(),
  sessions: async () => (await import('./sessions.js')).run(),
  mail: async () => (await import('./notices-mail.js')).run(),
  jobs: async () => (await import('./jobs.js')).run(),
  court: async () => (await import('./court.js')).run(),
};

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}.`);
    process.exit(2);
  }
  console.log(`\n== ${name} ==`);
  await bench();
}
