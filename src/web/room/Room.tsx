/**
 * One mediation room, the same for every party: the conversation beside the proposals. The mediator
 * builds proposals (and may send the plan suggested from the debtor's statement of means); the
 * parties answer, or counter with a plan of their own. Narrow screens stack the two columns.
 */
import { Alert, Button, Col, Row, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { type Answer as ApiAnswer, api, call } from '../api/client';
import { saveFile } from '../shared/files';
import { SESSION_STATUS_LABELS } from '../shared/labels';
import { ErrorAlert } from '../shared/ui';
import { AgreementConfirm } from './AgreementConfirm';
import { Chat } from './Chat';
import { type Answer, agreementsOf, offersOf, type PlanTerms, unreadAfter } from './log';
import { Offers } from './Offers';
import { ProposalBuilder } from './ProposalBuilder';
import { useRoom } from './useRoom';

export type SessionView = ApiAnswer<'getSessionsById'>;

export interface RoomProps {
  session: SessionView;
  me: { role: string; name: string };
  /** Shown now; a room in a background tab counts what it has not shown. */
  active?: boolean;
  onUnread?: (count: number) => void;
}

export function Room({ session, me, active = true, onUnread }: RoomProps) {
  const { log, connection, typists, refusal, send, sendTyping } = useRoom(session.id);
  const [seenSeq, setSeenSeq] = useState(0);
  const [countering, setCountering] = useState<number | null>(null);
  const [suggestError, setSuggestError] = useState<unknown>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const offers = offersOf(log);
  const unread = active ? 0 : unreadAfter(log, seenSeq, me);

  useEffect(() => {
    if (active) setSeenSeq(log.lastSeq);
  }, [active, log.lastSeq]);
  useEffect(() => onUnread?.(unread), [unread, onUnread]);

  const isMediator = me.role === 'mediator';
  const down = connection !== 'live';
  const enforceableFen = session.terms?.enforceableFen ?? session.claims.reduce((s, c) => s + c.enforceableFen, 0);

  const propose = (terms: PlanTerms, answers: number | null) => {
    send(answers ? { type: 'counter', body: { ...terms, answers } } : { type: 'proposal', body: { ...terms } });
    setCountering(null);
  };
  const answer = (type: Answer, proposalSeq: number) => send({ type, body: { proposalSeq } });
  const suggest = async () => {
    setSuggestError(null);
    try {
      await call(api.POST('/api/sessions/{id}/suggestion', { params: { path: { id: session.id } }, body: {} }));
    } catch (err) {
      setSuggestError(err);
    }
  };

  // The record is registered as a document when exported: its footer carries a code that /verify answers.
  const exportRecord = () => {
    setExportError(null);
    saveFile(`/api/sessions/${session.id}/transcript.pdf`, `调解笔录-${session.id}.pdf`).catch(setExportError);
  };

  return (
    <div className="room">
      <Space wrap style={{ marginBottom: 8 }}>
        <Tag className={session.status === 'live' ? 'tag-success' : undefined}>
          {SESSION_STATUS_LABELS[session.status]}
        </Tag>
        <span>
          债务人 {session.debtor.name} · 债权人 {session.creditor.name} · 调解员 {session.mediator.name}
        </span>
      </Space>
      {connection === 'reconnecting' && <Alert type="warning" showIcon title="正在重新连接…" role="status" />}
      {connection === 'connecting' && <Alert type="info" showIcon title="正在连接…" role="status" />}
      {connection === 'closed' && (
        <Alert type="error" showIcon title="无法进入调解室：您未受邀请，或登录已失效，请重新登录。" role="alert" />
      )}
      {refusal && <Alert type="error" showIcon title={refusal} role="alert" style={{ marginTop: 8 }} />}
      <Row gutter={[16, 16]} style={{ marginTop: 8 }}>
        <Col xs={24} lg={14}>
          <Chat
            log={log}
            typists={typists}
            me={me}
            disabled={down}
            onTyping={sendTyping}
            onSend={(text) => send({ type: 'chat', body: { text } })}
          />
        </Col>
        <Col xs={24} lg={10}>
          <Offers
            offers={offers}
            role={me.role}
            disabled={down}
            onAnswer={answer}
            onCounter={(seq) => setCountering(seq)}
          />
          {agreementsOf(log).map((id) => (
            <AgreementConfirm key={id} settlementId={id} />
          ))}
          {isMediator && (
            <div style={{ marginTop: 12 }}>
              <Space wrap>
                <Button onClick={suggest} disabled={down}>
                  按债务人收支情况发送建议方案
                </Button>
                <Button onClick={exportRecord}>导出调解笔录（PDF）</Button>
              </Space>
              <ErrorAlert error={suggestError} />
              <ErrorAlert error={exportError} />
            </div>
          )}
          {(isMediator || countering !== null) && (
            <ProposalBuilder
              key={countering ?? 'new'}
              claimIds={session.claims.map((c) => c.id)}
              enforceableFen={enforceableFen}
              basis={session.terms ?? null}
              answers={countering}
              disabled={down}
              onSend={propose}
              onCancelCounter={() => setCountering(null)}
            />
          )}
        </Col>
      </Row>
    </div>
  );
}
