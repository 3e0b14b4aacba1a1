import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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

/** The folder a server was given: its `--datadir` is a `data` folder inside it. */
function folderOf(server: number): string {
  const args = execFileSync('ps', ['-o', 'args=', '-p', String(server)], { encoding: 'utf8' });
  const dataDir = /--datadir=(\S+)/.exec(args)?.[1];
  if (dataDir === undefined) throw new Error(`mariadbd ${server} was started without --datadir: ${args}`);
  return dirname(dataDir);
}

const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('MariaDbServer', () => {
  it('does not outlive a process killed by a signal: the shared server stops within seconds and its folder goes', async () => {
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
    const folder = folderOf(server!);
    expect(existsSync(folder)).toBe(true);
    child.kill('SIGKILL');
    for (let waited = 0; waited < 15_000 && (isRunning(server!) || existsSync(folder)); waited += 500)
      await settle(500);
    expect(isRunning(server!)).toBe(false);
    expect(existsSync(folder)).toBe(false);
  }, 60_000);
});
