/**
 * Vitest global setup: `npm run build` once before any test file runs, so every test that starts
 * the gateway as a process runs what `npm start` runs (`node dist/main.js`), and no test builds
 * while another one starts the build. (A process start through tsx would also compile the whole
 * source tree each time: seconds of CPU per start on a 2-core machine.)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildOnce(): void {
  execFileSync('npm', ['run', 'build'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
