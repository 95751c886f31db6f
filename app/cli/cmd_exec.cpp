// hoodctl exec: a new process in a running container (core/runtime/exec.h).
//
// Exit status: the command's own (128+N when signal N killed it); when the
// command could not be run, one sentence on stderr and, as with `docker run`
// and POSIX shells, 127 for a command that does not exist, 126 for one that
// cannot be executed, 125 for everything else (no such container, not running,
// a namespace that could not be joined).
#include "cli.h"
#include "report.h"

#include "error.h"
#include "runtime/exec.h"
#include "runtime/runtime.h"

namespace hoodctl {

using hood::Error;

int cmdExec(Context &ctx, const Words &words)
{
    Options o(words, {"-e", "--env", "-w", "--workdir"},
              {"-t", "--tty", "-i", "--interactive", "-it", "--json"});
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
