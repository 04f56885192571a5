import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, post } from '../api.js';
import { useLoad } from '../hooks.js';
import { parseField, validateKwargs, widgetFor, type Widget } from '../schema-form.js';
import type { Job, JobType, JsonSchema, TriggerResult } from '../types.js';
import { ErrorNote } from './ui.js';

/**
 * Trigger with overrides: one field per kwarg of the job type's schema. Empty
 * fields keep the job's value; what is filled in is checked against the schema
 * (merged over the job's kwargs, as the server does) before anything is sent,
 * and a refusal from the server is shown here too.
 */
export function TriggerDialog({ job, onClose, onTriggered }: { job: Job; onClose: () => void; onTriggered: (result: TriggerResult) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const types = useLoad(() => api<{ job_types: JobType[] }>('/job-types'), 'job-types');
  const type = types.data?.job_types.find((t) => t.name === job.func_ref || `${t.name}:run` === job.func_ref);
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [serverError, setServerError] = useState<ApiError>();
  const [sending, setSending] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const properties = useMemo(() => Object.entries(type?.kwargs_schema.properties ?? {}), [type]);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!type) return;
    const overrides: Record<string, unknown> = {};
    const found = new Map<string, string>();
    for (const [name, schema] of properties) {
      const parsed = parseField(widgetFor(schema), values[name] ?? '');
      if (parsed.error) found.set(name, parsed.error);
      else if ('value' in parsed) overrides[name] = parsed.value;
    }
    if (found.size === 0) for (const [field, message] of validateKwargs(type.kwargs_schema, { ...job.kwargs.kwargs, ...overrides })) found.set(field, message);
    setProblems(found);
    setServerError(undefined);
    if (found.size) return;
    setSending(true);
    try {
      const body = Object.keys(overrides).length ? { overrides: { kwargs: overrides } } : undefined;
      onTriggered(await post<TriggerResult>(`/scheduler/jobs/${encodeURIComponent(job.id)}/trigger`, body));
    } catch (error) {
      setServerError(error instanceof ApiError ? error : new ApiError(0, 'error', String(error)));
    } finally {
      setSending(false);
    }
  };

  const general = problems.get('');
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="trigger-title" onClose={onClose}>
      <form method="dialog" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="trigger-title">
          Trigger <code>{job.id}</code> with overrides
        </h2>
        <p class="muted small">Empty fields keep the job's value. The run is a one-off copy; the job's schedule is untouched.</p>
        {types.error && <ErrorNote error={types.error} />}
        {!type && types.data && <p class="error-note">No kwargs schema for job type {job.func_ref}.</p>}
        {properties.map(([name, schema]) => (
          <KwargField
            key={name}
            name={name}
            schema={schema}
            current={job.kwargs.kwargs[name]}
            value={values[name] ?? ''}
            problem={problems.get(name)}
            onInput={(text) => setValues((v) => ({ ...v, [name]: text }))}
          />
        ))}
        {general && (
          <p class="error-note" role="alert">
            {general}
          </p>
        )}
        {problems.size > 0 && (
          <p class="error-note" role="alert">
            Fix the fields marked above: nothing was run.
          </p>
        )}
        <ErrorNote error={serverError} />
        <div class="row">
          <button type="submit" class="primary" disabled={!type || sending}>
            {sending ? 'Triggering…' : 'Run now'}
          </button>
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function KwargField(props: { name: string; schema: JsonSchema; current: unknown; value: string; problem: string | undefined; onInput: (text: string) => void }) {
  const { name, schema, current, value, problem, onInput } = props;
  const widget: Widget = widgetFor(schema);
  const id = `kwarg-${name}`;
  const placeholder = current === undefined ? (schema.default === undefined ? '' : `default ${JSON.stringify(schema.default)}`) : `now ${JSON.stringify(current)}`;
  const describedBy = [schema.description ? `${id}-help` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy };
  const onChange = (e: Event): void => onInput((e.currentTarget as HTMLInputElement).value);
  return (
    <div class={`field ${problem ? 'field-invalid' : ''}`}>
      <label for={id}>
        <code>{name}</code>
      </label>
      {widget.kind === 'enum' || widget.kind === 'boolean' ? (
        <select {...common} value={value} onChange={onChange}>
          <option value="">keep ({placeholder || 'unset'})</option>
          {(widget.kind === 'enum' ? widget.options : ['true', 'false']).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : widget.kind === 'json' ? (
        <textarea {...common} rows={2} value={value} placeholder={placeholder} onInput={onChange} spellcheck={false} />
      ) : (
        <input {...common} type="text" inputMode={widget.kind === 'number' ? 'decimal' : undefined} value={value} placeholder={placeholder} onInput={onChange} />
      )}
      {schema.description && (
        <div id={`${id}-help`} class="help">
          {schema.description}
          {widget.kind === 'json' ? ' (JSON)' : ''}
        </div>
      )}
      {problem && (
        <div id={`${id}-error`} class="field-error">
          {problem}
        </div>
      )}
    </div>
  );
}
