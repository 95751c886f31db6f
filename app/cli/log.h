// --log FILE / --log-format text|json: where hoodctl's own messages go when an OCI
// client drives it. containerd's go-runc reads the file's last "error" line as the
// reason a verb failed, so json is one object per line, as runc writes them:
//   {"level":"error","msg":"container \"x\" does not exist","time":"2026-12-01T13:20:50Z"}
// Without --log, messages go to stderr as before. With it, warnings and info go
// only to the file: a runc-mode `create` hands its stderr to the container, and a
// warning there would land in the container's output.
#pragma once

#include "sys/fd.h"

#include <string>

namespace hoodctl {

class Log {
public:
    static Log &instance();
    // Opens FILE for appending; an unopenable log is reported on stderr, once.
    void open(const std::string &path, bool json);
    bool toFile() const { return static_cast<bool>(m_fd); }
    void error(const std::string &sentence) { write("error", sentence); }
    void warn(const std::string &sentence) { write("warning", sentence); }
    void info(const std::string &sentence) { write("info", sentence); }
    void debugLine(const std::string &sentence)
    {
        if (debug)
            write("debug", sentence);
    }
    bool debug = false;

private:
    void write(const char *level, const std::string &sentence);
    hood::Fd m_fd;
    bool m_json = false;
};

} // namespace hoodctl
