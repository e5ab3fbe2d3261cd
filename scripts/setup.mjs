// `npm run setup`: prepares the checkout (idempotent) and stops the embedded Postgres it started.
import { runMain } from './lib/lifecycle.mjs';
import { prepare } from './lib/prepare.mjs';
import { color, formatDuration } from './lib/report.mjs';

runMain(async () => {
  const started = performance.now();
  console.log(color.bold('Preparing Manifold'));
  await prepare();
  console.log(
    color.green(`Ready in ${formatDuration(performance.now() - started)}. Run npm start to start Manifold, npm test to test it.`),
  );
  return 0;
});
