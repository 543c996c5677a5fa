import { hostname } from 'node:os';

/** Names this process among the replicas of its service: its host (the pod, in a cluster) and process id. */
export const THIS_REPLICA = `${hostname()}:${process.pid}`;
