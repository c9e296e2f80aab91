// The two IPC channels between preload and main: an allow-list, never a generic send(channel, …).
export const IPC_SESSION = 'tcr:session';
export const IPC_OPEN_EXTERNAL = 'tcr:open-external';
