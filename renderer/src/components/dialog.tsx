import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

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
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  onClose: () => void;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  footer: ReactNode;
  wide?: boolean;
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
          <div className="dialog__body">{children}</div>
          <div className="dialog__footer">{footer}</div>
        </form>
      )}
    </dialog>
  );
}
