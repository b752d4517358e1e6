import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Alert } from './alert.js';
import { FormErrorsContext, useFormErrors, type FormErrors, type FormProblem } from './form-errors.js';

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it, and the page behind
 * is inert. The form's submit is the primary action.
 */
export function Dialog({
  open,
  title,
  children,
  onClose,
  onSubmit,
  footer,
  wide,
  form,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  onClose: () => void;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  footer: ReactNode;
  wide?: boolean;
  /** The form's field errors (useFormErrors): a refused call naming a field shows at that field. */
  form?: FormErrors;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit(e);
          }}
          noValidate
        >
          <div className="dialog__header">
            <h2 id={titleId} className="dialog__title">
              {title}
            </h2>
          </div>
          <div className="dialog__body">{form ? <FormErrorsContext.Provider value={form}>{children}</FormErrorsContext.Provider> : children}</div>
          <div className="dialog__footer">{footer}</div>
        </form>
      )}
    </dialog>
  );
}

/**
 * A dialog for one action: its fields, an explanation of what will happen, the core's error if it
 * refuses. `run` returns null on success (the dialog closes), or the refusal: a sentence, or the
 * call's error — one that names a field of the form shows at that field, anything else in the alert.
 */
export function ActionDialog({
  open,
  title,
  submitLabel,
  danger,
  onClose,
  run,
  children,
  wide,
  keepOpen,
  done,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  danger?: boolean;
  onClose: () => void;
  run: () => Promise<FormProblem | string | null>;
  children: ReactNode;
  wide?: boolean;
  /** Stay open after a successful run (to show `done`, e.g. a file to download). */
  keepOpen?: boolean;
  /** What the run produced; shown instead of the form, with only a Close button. */
  done?: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const { route } = form;
  useEffect(() => {
    if (!open) return;
    setError(null);
    route(null);
  }, [open, route]);
  async function submit(_e: FormEvent<HTMLFormElement>) {
    // Once the run produced something, Enter must not run it again.
    if (done) return;
    setBusy(true);
    setError(null);
    route(null);
    const err = await run();
    setBusy(false);
    if (err) setError(route(err));
    else if (!keepOpen) onClose();
  }
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      onSubmit={(e) => void submit(e)}
      wide={wide}
      form={form}
      footer={
        done ? (
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className={danger ? 'btn btn--danger' : 'btn btn--primary'} disabled={busy}>
              {busy ? 'Working…' : submitLabel}
            </button>
          </>
        )
      }
    >
      {error && <Alert kind="error">{error}</Alert>}
      <div className="ferpa-form">{done ?? children}</div>
    </Dialog>
  );
}
