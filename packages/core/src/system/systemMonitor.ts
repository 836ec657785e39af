import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

type Sample = Record<string, number>;

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Samples process and machine CPU and memory, event-loop lag and, where nvidia-smi answers, GPUs, every
 * `intervalMs`, and hands each sample to `write`. Its timer never keeps the process alive.
 */
export class SystemMonitor {
  private timer: NodeJS.Timeout | undefined;
  private lastCpu = cpuTimes();
  private lastProcessCpu = process.cpuUsage();
  private lastAt = performance.now();
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private gpu: 'unknown' | 'absent' | 'present' = 'unknown';
  private lastGpu: Sample = {};

  constructor(
    private readonly intervalMs: number,
    private readonly write: (sample: Sample) => void,
  ) {}

  start(): void {
    this.loopDelay.enable();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    this.pollGpu();
  }

  /** One sample now (also called at finish, so short runs have one). */
  sample(): void {
    const now = performance.now();
    const elapsedMs = Math.max(1, now - this.lastAt);
    const cpu = cpuTimes();
    const processCpu = process.cpuUsage(this.lastProcessCpu);
    const totalDelta = cpu.total - this.lastCpu.total;
    const sample: Sample = {
      'system/proc.cpu.percent': round(((processCpu.user + processCpu.system) / 1000 / elapsedMs) * 100),
      'system/proc.memory.rssMB': round(process.memoryUsage.rss() / 2 ** 20),
      'system/cpu.percent': totalDelta > 0 ? round((1 - (cpu.idle - this.lastCpu.idle) / totalDelta) * 100) : 0,
      'system/memory.percent': round((1 - freemem() / totalmem()) * 100),
      'system/memory.usedMB': round((totalmem() - freemem()) / 2 ** 20),
      'system/eventLoop.lagMs': round(Number.isFinite(this.loopDelay.mean) ? this.loopDelay.mean / 1e6 : 0, 3),
      ...this.lastGpu,
    };
    this.loopDelay.reset();
    this.lastCpu = cpu;
    this.lastProcessCpu = process.cpuUsage();
    this.lastAt = now;
    this.write(sample);
    if (this.gpu === 'present') this.pollGpu();
  }

  private pollGpu(): void {
    if (this.gpu === 'unknown' && !onPath('nvidia-smi')) this.gpu = 'absent'; // spawning just to fail costs ms
    if (this.gpu === 'absent') return;
    execFile(
      'nvidia-smi',
      ['--query-gpu=utilization.gpu,memory.used,memory.total,temperature.gpu', '--format=csv,noheader,nounits'],
      { timeout: 5000 },
      (error, stdout) => {
        if (error) {
          this.gpu = 'absent';
          return;
        }
        this.gpu = 'present';
        const gpu: Sample = {};
        stdout
          .trim()
          .split('\n')
          .forEach((line, i) => {
            const [util, used, total, temp] = line.split(',').map((v) => Number(v.trim()));
            gpu[`system/gpu.${i}.gpu`] = util;
            gpu[`system/gpu.${i}.memory`] = total > 0 ? round((used / total) * 100) : 0;
            gpu[`system/gpu.${i}.memoryUsedMB`] = used;
            gpu[`system/gpu.${i}.temp`] = temp;
          });
        this.lastGpu = gpu;
      },
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.loopDelay.disable();
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}
