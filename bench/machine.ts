// What the numbers were measured on, stored beside them so runs can be compared honestly.
import {execFileSync} from "node:child_process";
import {cpus, loadavg, platform, release, totalmem} from "node:os";
import type {Browser} from "playwright-core";

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  os: string;
  node: string;
  chromium: string;
  /** The commit measured, with "+dirty" when the working tree had changes (other people's included). */
  commit: string;
  /** 1-minute load average when the run started: other work on a 2-core machine skews frame times. */
  load: number;
}

function commit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], {encoding: "utf8"}).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {encoding: "utf8"}).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

export function machineInfo(browser: Browser): Machine {
  const cores = cpus();
  return {
    date: new Date().toISOString(),
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? "unknown",
    memoryGB: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: browser.version(),
    commit: commit(),
    load: Math.round(loadavg()[0] * 100) / 100,
  };
}
