// One message per send on a SOCK_SEQPACKET socket pair: a type byte, text, and
// optionally one file descriptor (SCM_RIGHTS). Used between a monitor and the
// container's init, and between hoodctl exec and the process it starts.
#pragma once

#include <string>
#include <sys/types.h>

namespace hood {

// Never raises SIGPIPE; a peer that is gone is not an error here.
void sendMessage(int sock, char type, const std::string &text, int fd = -1);

// Returns recvmsg's result (0 at end of file); a passed fd lands in *fd
// (close-on-exec), otherwise *fd is left alone.
ssize_t receiveMessage(int sock, std::string &out, int *fd);

} // namespace hood
