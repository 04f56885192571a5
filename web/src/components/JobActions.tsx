import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { useLive } from '../live.js';
import type { Job, TriggerResult } from '../types.js';
import { TriggerDialog } from './TriggerDialog.js';

export interface ActionOutcome {
  readonly ok: boolean;
  readonly text: string;
  /** A job to link to (a manual copy's history). */
  readonly jobId?: string;
}

/** Trigger, trigger with overrides, pause/resume for one job; outcomes are reported to the page's status line. */
export function JobActions({ job, onOutcome }: { job: Job; onOutcome: (outcome: ActionOutcome) => void }) {
  const { refresh } = useLive();
  const [dialog, setDialog] = useState(false);
  const [busy, setBusy] = useState(false);
  const path = `/scheduler/jobs/${encodeURIComponent(job.id)}`;

  const act = async (label: string, run: () => Promise<string>): Promise<void> => {
    setBusy(true);
    try {
      onOutcome({ ok: true, text: await run() });
    } catch (error) {
      onOutcome({ ok: false, text: `${label} ${job.id}: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const triggered = (result: TriggerResult): void => {
    setDialog(false);
    const copy = result.scheduled_job_id !== job.id;
    onOutcome({ ok: true, text: `Triggered ${job.id}${copy ? ` as ${result.scheduled_job_id}` : ''}`, jobId: result.scheduled_job_id });
    refresh();
  };

  return (
    <div class="actions" role="group" aria-label={`Actions for ${job.id}`}>
      <button type="button" disabled={busy} onClick={() => void act('Trigger', async () => (await post<TriggerResult>(`${path}/trigger`), `Triggered ${job.id}`))}>
        Trigger
      </button>
      <button type="button" disabled={busy} onClick={() => setDialog(true)} aria-label={`Trigger ${job.id} with overrides`}>
        Overrides…
      </button>
      {job.paused ? (
        <button type="button" disabled={busy} onClick={() => void act('Resume', async () => (await post(`${path}/resume`), `Resumed ${job.id}`))}>
          Resume
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={() => void act('Pause', async () => (await post(`${path}/pause`), `Paused ${job.id}`))}>
          Pause
        </button>
      )}
      {dialog && <TriggerDialog job={job} onClose={() => setDialog(false)} onTriggered={triggered} />}
    </div>
  );
}
