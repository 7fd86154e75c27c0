/** The room's conversation: who is here, who is typing, the messages and notes in order, and the input. */
import { Button, Input, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { formatDateTime, formatFen } from '../shared/format';
import { presentParties, type RoomFrame, type RoomLog } from './log';

export const PARTY_LABELS: Record<string, string> = {
  mediator: '调解员',
  creditor: '债权人代表',
  debtor: '债务人',
  system: '系统',
};

/** A note for what is not a chat message, or null to leave it out of the conversation. */
function noteOf(f: RoomFrame): string | null {
  const who = `${PARTY_LABELS[f.from.role] ?? f.from.role} ${f.from.name}`;
  switch (f.type) {
    case 'presence':
      return f.body.event === 'join' ? `${who} 进入调解室` : `${who} 离开调解室`;
    case 'proposal':
    case 'counter':
      return `${who} 提出${f.type === 'counter' ? '还价' : '方案'} #${f.seq}：${formatFen(f.body.totalFen as number)}`;
    case 'accept':
      return `${who} 接受方案 #${f.body.proposalSeq}`;
    case 'approve':
      return `${who} 批准方案 #${f.body.proposalSeq}（超出授权范围）`;
    case 'reject':
      return `${who} 拒绝方案 #${f.body.proposalSeq}${f.body.reason ? `：${f.body.reason}` : ''}`;
    case 'system':
      if (f.body.event === 'started') return '调解开始';
      if (f.body.event === 'ended') return '调解结束';
      if (f.body.event === 'agreement') return `双方就方案 #${f.body.proposalSeq} 达成一致，已生成调解协议`;
      return null;
    default:
      return null;
  }
}

export interface ChatProps {
  log: RoomLog;
  typists: { role: string; name: string }[];
  me: { role: string; name: string };
  onSend: (text: string) => void;
  onTyping: () => void;
  disabled: boolean;
}

export function Chat({ log, typists, me, onSend, onTyping, disabled }: ChatProps) {
  const [text, setText] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const present = presentParties(log);
  const others = typists.filter((t) => t.name !== me.name || t.role !== me.role);

  // Keep the newest message in view; the list scrolls on its own, so the keyboard can focus it.
  useEffect(() => {
    const el = list.current;
    if (!el || log.frames.length === 0) return;
    el.tabIndex = 0;
    el.scrollTop = el.scrollHeight;
  }, [log.frames.length]);

  const submit = () => {
    const trimmed = text.trim();
    if (!trimmed) return;
    onSend(trimmed);
    setText('');
  };

  return (
    <section aria-label="对话" className="room-chat">
      <fieldset aria-label="在场人员" className="room-presence">
        {present.length === 0 ? (
          <Typography.Text type="secondary">暂无人在场</Typography.Text>
        ) : (
          present.map((p) => (
            <Tag key={`${p.role}:${p.name}`} className="tag-success">
              {PARTY_LABELS[p.role] ?? p.role} {p.name} 在线
            </Tag>
          ))
        )}
      </fieldset>
      <ol ref={list} className="room-messages" aria-label="消息" aria-live="polite">
        {log.frames.map((f) => {
          if (f.type === 'chat')
            return (
              <li key={f.seq} className={f.from.name === me.name && f.from.role === me.role ? 'mine' : undefined}>
                <div className="room-meta">
                  {PARTY_LABELS[f.from.role] ?? f.from.role} {f.from.name} · {formatDateTime(f.at)}
                </div>
                <div className="room-text">{f.body.text as string}</div>
              </li>
            );
          const note = noteOf(f);
          return note ? (
            <li key={f.seq} className="room-note">
              {note}
            </li>
          ) : null;
        })}
      </ol>
      <div className="room-typing" aria-live="polite">
        {others.length
          ? `${others.map((t) => `${PARTY_LABELS[t.role] ?? t.role} ${t.name}`).join('、')} 正在输入…`
          : ''}
      </div>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          aria-label="输入消息"
          placeholder="输入消息，按回车发送"
          value={text}
          maxLength={2000}
          disabled={disabled}
          onChange={(e) => {
            setText(e.target.value);
            onTyping();
          }}
          onPressEnter={submit}
        />
        <Button type="primary" onClick={submit} disabled={disabled || !text.trim()}>
          发送
        </Button>
      </Space.Compact>
    </section>
  );
}
