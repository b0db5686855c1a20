/**
 * `speech-posture worker`: works the scan queue on the PostgreSQL in DATABASE_URL beside any number
 * of other workers and dashboards: collects tenants (or batches of a large tenant), stores finished
 * scans, starts scheduled ones. SIGINT/SIGTERM stop it: running jobs get a grace period, and any
 * still running after it are left to expire and be retried by another worker.
 */
import type { Command } from "commander";
import { UsageError } from "@/lib/cli-util";

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("Run scan jobs from the PostgreSQL job queue (DATABASE_URL=postgres://…); any number of workers may run")
    .option("--jobs <n>", "tenant or batch jobs run at once", "2")
    .action(async (opts: { jobs: string }) => {
      const jobs = Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, got "${opts.jobs}"`);
      const url = process.env.DATABASE_URL;
      if (!url || !/^postgres(ql)?:\/\//i.test(url)) {
        throw new UsageError("A worker needs PostgreSQL: set DATABASE_URL=postgres://… (on SQLite the dashboard runs its scans itself).");
      }
      if (process.env.SPEECH_POSTURE_SCAN_RUNNER === "local")
        throw new UsageError("SPEECH_POSTURE_SCAN_RUNNER=local turns the job queue off; a worker has nothing to do.");
      const [{ openStore }, { jobsFor }, { startScheduler }] = await Promise.all([
        import("@/lib/store/store"),
        import("@/lib/scan/jobs-server"),
        import("@/lib/scan/scheduler"),
      ]);
      const store = await openStore({ url });
      const scanJobs = await jobsFor(store);
      await scanJobs.workQueue(jobs);
      const scheduler = startScheduler(scanJobs);
      process.stderr.write(`speech-posture worker ${process.pid}: working the scan queue on ${store.description}, ${jobs} job(s) at once.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      process.stderr.write(`speech-posture worker ${process.pid}: stopping (running jobs get 10 s to end).\n`);
      scheduler.stop();
      await scanJobs.close();
      await store.close();
    });
}
