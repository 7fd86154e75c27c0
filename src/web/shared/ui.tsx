/** Small pieces every page uses: money that never breaks across lines, error alerts, page titles. */
import { Alert, Typography } from 'antd';
import { type ReactNode, useEffect, useRef } from 'react';
import { problemMessage } from '../api/problem';
import { formatFen } from './format';

/** An amount in fen, as `¥1,234.56`, kept on one line. */
export function Money({ fen }: { fen: number }) {
  return <span className="money">{formatFen(fen)}</span>;
}

/** The error of a failed load or action, as a sentence saying what to do. */
export function ErrorAlert({ error, action }: { error: unknown; action?: ReactNode }) {
  if (!error) return null;
  return <Alert type="error" showIcon title={problemMessage(error)} action={action} role="alert" />;
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-title">
      <Typography.Title level={2}>{children}</Typography.Title>
      {extra}
    </div>
  );
}

/**
 * A table region whose scrolling parts can take keyboard focus, so the arrow keys scroll them (Ant
 * Design's scroll containers are plain divs).
 */
export function KeyboardScrollable({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const el of ref.current?.querySelectorAll<HTMLElement>('.ant-table-body, .ant-table-content') ?? []) {
      el.tabIndex = 0;
      el.setAttribute('aria-label', label);
    }
  });
  return <div ref={ref}>{children}</div>;
}

/** What an empty table says, legible (Ant Design draws it in the disabled text colour). */
export function Empty({ children }: { children: ReactNode }) {
  return <span className="table-empty">{children}</span>;
}
