// hoodctl exec: a new process in a running container (core/runtime/exec.h).
//
// Exit status: the command's own (128+N when signal N killed it); when the
// command could not be run, one sentence on stderr and, as with `docker run`
// and POSIX shells, 127 for a command that does not exist, 126 for one that
// cannot be executed, 1 for no such container (as `docker exec` and runc's other
// verbs), 125 for everything else (not running, a namespace that could not be
// joined).
#include "cli.h"
#include "report.h"

#include "error.h"
#include "runtime/exec.h"
#include "runtime/runtime.h"
#include "sys/fileio.h"

#include <cerrno>

namespace hoodctl {

using hood::Error;

namespace {

// runc's exec --process FILE [--detach] [--pid-file F] [--tty] [--console-socket S]
// [--preserve-fds N] ID, as conmon and containerd's shim call it.
int processFileExec(Context &ctx, const Options &o)
{
    if (o.positional().size() != 1)
        throw Error("give exactly one container ID (hoodctl exec --process FILE ID)");
    const std::string id = o.positional().front();
    ctx.report.id = id;
    ctx.report.stderrIsContainers = true;
    hood::ExecRequest r;
    const std::string file = *o.value("--process");
    if (file == "-") {
        if (!hood::preadAll(0, r.processJson))
            throw hood::Error::sys("read", "standard input", errno);
    } else {
        r.processJson = hood::readFile(file);
    }
    r.detach = o.has("--detach") || o.has("-d");
    if (auto n = o.value("--preserve-fds"))
        r.preserveFds = static_cast<int>(parseNumber("--preserve-fds", *n));
    ctx.runtime.info(id);
    const std::string consoleSocket = o.value("--console-socket").value_or("");
    hood::ExecProcess process(ctx.runtime.containerDir(id), r);
    for (const std::string &w : process.warnings())
        ctx.report.warn(w);
    if (!consoleSocket.empty()) {
        if (process.console() < 0)
            throw Error("--console-socket: the process JSON asks for no terminal (\"terminal\": true)");
        hood::sendConsole(consoleSocket, process.console());
    }
    if (auto pidFile = o.value("--pid-file"))
        hood::writePidFile(*pidFile, process.pid());
    if (r.detach) {
        process.detach();
        return 0;
    }
    const int status = process.wait();
    ctx.report.exitCode = status;
    return status;
}

} // namespace

int cmdExec(Context &ctx, const Words &words)
{
    Options o(words, {"-e", "--env", "-w", "--workdir", "--process", "-p", "--pid-file", "--console-socket",
                      "--preserve-fds"},
              {"-t", "--tty", "-i", "--interactive", "-it", "--json", "--detach", "-d"});
    if (o.value("-p") && !o.value("--process"))
        throw Error("-p: give --process FILE");
    if (o.value("--process"))
        return processFileExec(ctx, o);
    hood::ExecRequest r;
    Words command = o.afterDashes();
    if (command.empty() && o.positional().size() > 1)
        command.assign(o.positional().begin() + 1, o.positional().end());
    else if (o.positional().size() != 1)
        command.clear();
    if (o.positional().empty() || command.empty())
        throw Error(
            "give a container ID and a command (hoodctl exec [-t] [-e K=V] [-w DIR] ID -- CMD...)");
    const std::string id = o.positional().front();
    ctx.report.id = id;
    r.args = command;
    r.env = envFlags(o);
    r.cwd = o.value("-w").value_or(o.value("--workdir").value_or(""));
    r.terminal = o.has("-t") || o.has("--tty") || o.has("-it");
    ctx.runtime.info(id); // "container "x" does not exist", and the ID's syntax
    // An ExecError (126, 127) reaches main(), which prints it and exits with its status.
    const int status = hood::execInContainer(ctx.runtime.containerDir(id), r, ctx.report.warnFn());
    ctx.report.exitCode = status;
    return status;
}

} // namespace hoodctl
