#include "journal.h"

#include "error.h"
#include "resources.h"
#include "sys/fd.h"
#include "sys/fileio.h"
#include "trace.h"

#include <cerrno>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

namespace hood {

void Journal::record(const ResourceType &kind, const std::string &value) const
{
    std::string line = std::string(kind.name) + " " + value + "\n";
    {
        trace::Scope step(trace::Phase::State, "journal", line.substr(0, line.size() - 1));
        Fd fd(open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
        if (!fd) {
            step.fail(errno);
            throw Error::sys("open journal", m_path, errno);
        }
        ssize_t n = write(fd.get(), line.data(), line.size());
        if (n != static_cast<ssize_t>(line.size())) {
            int err = n < 0 ? errno : EIO;
            step.fail(err);
            throw Error::sys("write journal", m_path, err);
        }
    } // the step ends here, so the kill-at-every-step hook fires after the line is written
}

std::vector<JournalEntry> parseJournal(const std::string &text, std::vector<int> *bad)
{
    std::vector<JournalEntry> entries;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        bool torn = in.eof() && !text.empty() && text.back() != '\n';
        size_t space = line.find(' ');
        const ResourceType *kind = nullptr;
        if (!torn && space != std::string::npos && space + 1 < line.size())
            kind = findResourceType(std::string_view(line).substr(0, space));
        if (kind)
            entries.push_back({kind, line.substr(space + 1)});
        else if (!line.empty() && bad)
            bad->push_back(number);
    }
    return entries;
}

std::vector<JournalEntry> readJournal(const std::string &path)
{
    std::string text;
    readFileNoThrow(path, text); // missing or unreadable: nothing to replay
    return parseJournal(text);
}

std::vector<std::string> replayJournal(const std::vector<JournalEntry> &entries)
{
    std::vector<std::string> left;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        std::string why;
        if (!it->kind->destroy(it->value, &why))
            left.push_back(why);
        trace::faultPoint(); // each undo is a step of the kill-at-every-step test
    }
    return left;
}

} // namespace hood
