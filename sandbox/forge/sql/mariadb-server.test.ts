import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pids of the mariadbd processes whose parent is `parent`. */
function serversOf(parent: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, comm]) => Number(ppid) === parent && comm === 'mariadbd')
    .map(([pid]) => Number(pid));
}

const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('MariaDbServer', () => {
  it('does not outlive a process killed by a signal: the server it started stops within seconds', async () => {
    const script =
      `require(${JSON.stringify(resolve(__dirname, 'mariadb-server.ts'))}).MariaDbServer.shared()` +
      `.then(() => { console.log('started'); setInterval(() => undefined, 1000); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('started') ? done() : undefined));
      child.once('exit', () => fail(new Error('the process exited before its server started')));
    });
    const [server] = serversOf(child.pid!);
    expect(server).toBeDefined();
    child.kill('SIGKILL');
    for (let waited = 0; waited < 15_000 && isRunning(server!); waited += 500) await settle(500);
    expect(isRunning(server!)).toBe(false);
  }, 60_000);
});
