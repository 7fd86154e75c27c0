/** Progress of document jobs, pushed to whoever listens (the /ws/documents/jobs/:id sockets). */
import { type LiveJobEvent, LiveJobs } from '../common/live-jobs.js';
import type { JobView } from './schemas.js';

export type JobEvent = LiveJobEvent<JobView>;

export class LiveDocumentJobs extends LiveJobs<JobView> {}
