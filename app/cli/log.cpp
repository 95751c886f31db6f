#include "log.h"

#include "runtime/state.h"
#include "sys/fileio.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <nlohmann/json.hpp>

namespace hoodctl {

Log &Log::instance()
{
    static Log log;
    return log;
}

void Log::open(const std::string &path, bool json)
{
    m_json = json;
    m_fd.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!m_fd)
        std::cerr << "hoodctl: open log " << path << ": " << strerror(errno) << "\n";
}

void Log::write(const char *level, const std::string &sentence)
{
    if (!m_fd)
        return;
    std::string line;
    if (m_json) {
        line = nlohmann::json {{"level", level}, {"msg", sentence}, {"time", hood::nowRfc3339()}}.dump() + "\n";
    } else {
        // logrus' text form, as runc writes it.
        line = "time=\"" + hood::nowRfc3339() + "\" level=" + level + " msg=" + nlohmann::json(sentence).dump() + "\n";
    }
    hood::writeAll(m_fd.get(), line.data(), line.size());
}

} // namespace hoodctl
