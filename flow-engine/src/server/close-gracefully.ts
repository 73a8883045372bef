/**
 * Closes the port and then each connection once it is idle: a response still being written (the last call
 * a drain waited for) goes out whole. Connections still busy after 5 s are cut.
 */
export function closeGracefully(server: {
  close(callback: () => void): unknown;
  closeIdleConnections?: () => void;
  closeAllConnections?: () => void;
}): Promise<void> {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections?.(), 50);
    const cut = setTimeout(() => server.closeAllConnections?.(), 5000);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections?.();
  });
}
