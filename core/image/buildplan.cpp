// The build plan and its cache keys (buildplan.h). The key texts follow the
// classic builder's commit messages (moby builder/dockerfile/dispatchers.go):
// "ENV K=V", "COPY <hash> in <dest>", and for RUN the command prefixed with the
// build args in effect as "|N K=V ..." (prependEnvOnCmd), so an undeclared
// --build-arg changes nothing and a declared one changes the RUNs after it.
#include "image/buildplan.h"

#include "error.h"
#include "image/dockerignore.h"
#include "image/digest.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hood {

namespace {

// Build args Docker predefines: usable without ARG and never warned about.
const std::set<std::string> kBuiltinArgs = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                                            "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",    "no_proxy",
                                            "ALL_PROXY",  "all_proxy"};

std::string join(const std::vector<std::string> &words, const std::string &sep = " ")
{
    std::string out;
    for (size_t i = 0; i < words.size(); ++i)
        out += (i ? sep : "") + words[i];
    return out;
}

std::string jsonArray(const std::vector<std::string> &words) { return nlohmann::json(words).dump(); }

std::string pairText(const DockerfileKeyValue &kv)
{
    return kv.key + (kv.value ? "=" + *kv.value : std::string());
}

// The state of the one stage being planned.
struct Stage {
    const Dockerfile &file;
    const std::map<std::string, std::string> &buildArgs;
    const BuildContext *context;
    std::map<std::string, std::optional<std::string>> metaArgs; // ARGs before FROM
    std::map<std::string, std::optional<std::string>> args;     // ARGs declared in the stage
    std::set<std::string> declared;                             // every ARG name seen
    BuildImageConfig config;
    bool cmdSetHere = false;

    // Docker's substitution environment: the config's Env, then the build args
    // in effect that ENV does not override (the classic builder's FilterAllowed).
    DockerfileEnv substitutionEnv() const
    {
        DockerfileEnv env;
        for (const std::string &kv : config.env) {
            size_t eq = kv.find('=');
            env[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
        }
        for (const auto &[k, v] : argsInEffect())
            env.emplace(k, v);
        return env;
    }

    std::map<std::string, std::string> argsInEffect() const
    {
        std::map<std::string, std::string> out;
        for (const auto &[k, v] : args)
            if (v && !config.envValue(k))
                out[k] = *v;
        for (const auto &[k, v] : buildArgs)
            if (kBuiltinArgs.count(k) && !args.count(k))
                out[k] = v;
        return out;
    }
};

std::string absoluteIn(const std::string &workdir, const std::string &path)
{
    if (!path.empty() && path[0] == '/')
        return path;
    return (workdir.empty() ? std::string("/") : workdir) + "/" + path;
}

void planArg(Stage &s, BuildStep &step, std::map<std::string, std::optional<std::string>> &into)
{
    std::vector<std::string> words;
    for (const DockerfileKeyValue &kv : step.instruction.pairs) {
        std::optional<std::string> value = kv.value;
        if (auto given = s.buildArgs.find(kv.key); given != s.buildArgs.end())
            value = given->second;
        else if (!value && &into == &s.args)
            if (auto meta = s.metaArgs.find(kv.key); meta != s.metaArgs.end())
                value = meta->second;
        into[kv.key] = value;
        s.declared.insert(kv.key);
        words.push_back(pairText(kv)); // the Dockerfile's default, as the classic builder commits it
    }
    step.text = "ARG " + join(words);
}

void planRun(Stage &s, BuildStep &step)
{
    const DockerfileInstruction &ins = step.instruction;
    step.runArgv = ins.json ? ins.args : s.config.shell;
    if (!ins.json)
        step.runArgv.push_back(ins.args.at(0));
    std::vector<std::string> argEnv;
    for (const auto &[k, v] : s.argsInEffect())
        argEnv.push_back(k + "=" + v);
    std::sort(argEnv.begin(), argEnv.end());
    std::string prefix;
    if (!argEnv.empty())
        prefix = "|" + std::to_string(argEnv.size()) + " " + join(argEnv) + " ";
    std::string network = ins.flag("network").value_or("");
    step.text = "RUN " + (network.empty() ? "" : "--network=" + network + " ") + prefix + join(step.runArgv);
    step.runEnv = s.config.env;
    step.runEnv.insert(step.runEnv.end(), argEnv.begin(), argEnv.end());
    step.makesLayer = true;
}

void planCopy(Stage &s, BuildStep &step, const std::string &where)
{
    const DockerfileInstruction &ins = step.instruction;
    if (ins.flag("from"))
        throw Error(where + ": --from (a multi-stage build) is not supported by Hood's builder yet");
    std::vector<std::string> sources(ins.args.begin(), ins.args.end() - 1);
    for (const std::string &src : sources)
        if (ins.keyword == "ADD" && (src.rfind("http://", 0) == 0 || src.rfind("https://", 0) == 0))
            throw Error(where + ": " + src + ": ADD of a URL is not supported (a build has no network)");
    if (!s.context)
        throw Error(where + ": no build context to copy from");
    step.sources = s.context->resolveSources(sources, where);
    std::string dest = ins.args.back();
    if (step.sources.size() > 1 && (dest.empty() || dest.back() != '/'))
        throw Error(where + ": when copying more than one source the destination must be a directory and end with a /");
    step.destination = absoluteIn(s.config.workingDir, dest);
    step.contentHash = s.context->contentHash(step.sources);
    std::string flags;
    for (const char *f : {"chown", "chmod", "link"})
        if (auto v = ins.flag(f))
            flags += "--" + std::string(f) + (v->empty() ? "" : "=" + *v) + " ";
    step.text = ins.keyword + " " + flags + step.contentHash + " in " + step.destination;
    step.makesLayer = true;
}

// CMD, ENTRYPOINT: the JSON form as it is, the shell form through SHELL.
std::vector<std::string> commandOf(const Stage &s, const DockerfileInstruction &ins)
{
    if (ins.json)
        return ins.args;
    std::vector<std::string> argv = s.config.shell;
    argv.push_back(ins.args.at(0));
    return argv;
}

void planMetadata(Stage &s, BuildStep &step)
{
    const DockerfileInstruction &ins = step.instruction;
    const std::string &k = ins.keyword;
    BuildImageConfig &c = s.config;
    auto change = [&](const std::string &field, const std::string &value) {
        step.changes.push_back({field, value});
    };
    if (k == "ENV") {
        std::vector<std::string> words;
        for (const DockerfileKeyValue &kv : ins.pairs) {
            c.setEnv(kv.key, kv.value.value_or(""));
            words.push_back(kv.key + "=" + kv.value.value_or(""));
            change("Env", words.back());
        }
        step.text = "ENV " + join(words);
    } else if (k == "LABEL") {
        std::vector<std::string> words;
        for (const DockerfileKeyValue &kv : ins.pairs) {
            c.labels[kv.key] = kv.value.value_or("");
            words.push_back(kv.key + "=" + kv.value.value_or(""));
            change("Labels", words.back());
        }
        step.text = "LABEL " + join(words);
    } else if (k == "WORKDIR") {
        c.workingDir = cleanPath(absoluteIn(c.workingDir, ins.args.at(0)));
        change("WorkingDir", c.workingDir);
        step.text = "WORKDIR " + c.workingDir;
    } else if (k == "USER") {
        c.user = ins.args.at(0);
        change("User", c.user);
        step.text = "USER " + c.user;
    } else if (k == "EXPOSE") {
        std::vector<std::string> ports;
        for (std::string p : ins.args) {
            if (p.find('/') == std::string::npos)
                p += "/tcp";
            c.exposedPorts.insert(p);
            ports.push_back(p);
            change("ExposedPorts", p);
        }
        std::sort(ports.begin(), ports.end());
        step.text = "EXPOSE " + join(ports);
    } else if (k == "VOLUME") {
        for (const std::string &v : ins.args) {
            c.volumes.insert(v);
            change("Volumes", v);
        }
        step.text = "VOLUME " + jsonArray(ins.args);
    } else if (k == "CMD") {
        c.cmd = commandOf(s, ins);
        s.cmdSetHere = true;
        change("Cmd", jsonArray(c.cmd));
        step.text = "CMD " + jsonArray(c.cmd);
    } else if (k == "ENTRYPOINT") {
        c.entrypoint = commandOf(s, ins);
        change("Entrypoint", jsonArray(c.entrypoint));
        if (!s.cmdSetHere && !c.cmd.empty()) {
            c.cmd.clear(); // Docker drops a CMD inherited from the base when ENTRYPOINT is set
            change("Cmd", "[]");
        }
        step.text = "ENTRYPOINT " + jsonArray(c.entrypoint);
    } else if (k == "SHELL") {
        c.shell = ins.args;
        change("Shell", jsonArray(c.shell));
        step.text = "SHELL " + jsonArray(c.shell);
    } else if (k == "STOPSIGNAL") {
        c.stopSignal = ins.args.at(0);
        change("StopSignal", c.stopSignal);
        step.text = "STOPSIGNAL " + c.stopSignal;
    } else if (k == "MAINTAINER") {
        c.author = ins.args.at(0);
        change("Author", c.author);
        step.text = "MAINTAINER " + c.author;
    }
}

BuildStep planStep(Stage &s, const DockerfileInstruction &raw, int index, const std::string &parent)
{
    BuildStep step;
    step.index = index;
    step.parentKey = parent;
    step.instruction = expandInstruction(raw, s.substitutionEnv(), s.file);
    const std::string where = dockerfileWhere(s.file, raw);
    const std::string &k = raw.keyword;
    if (k == "ARG")
        planArg(s, step, s.args);
    else if (k == "RUN")
        planRun(s, step);
    else if (k == "COPY" || k == "ADD")
        planCopy(s, step, where);
    else
        planMetadata(s, step);
    step.key = image::sha256Digest(parent + "\n" + step.text);
    step.configAfter = s.config;
    return step;
}

} // namespace

std::optional<std::string> BuildImageConfig::envValue(const std::string &key) const
{
    for (const std::string &kv : env)
        if (kv.compare(0, key.size(), key) == 0 && kv.size() > key.size() && kv[key.size()] == '=')
            return kv.substr(key.size() + 1);
    return std::nullopt;
}

void BuildImageConfig::setEnv(const std::string &key, const std::string &value)
{
    for (std::string &kv : env)
        if (kv.compare(0, key.size(), key) == 0 && kv.size() > key.size() && kv[key.size()] == '=') {
            kv = key + "=" + value;
            return;
        }
    env.push_back(key + "=" + value);
}

BuildPlan planBuild(const Dockerfile &file, const std::map<std::string, std::string> &buildArgs,
                    const BuildContext *context, BaseImageResolver &base)
{
    Stage s{file, buildArgs, context, {}, {}, {}, {}, false};
    BuildPlan plan;
    size_t i = 0;
    // ARGs before FROM are the meta args: FROM may use them, the stage only
    // when it declares them again.
    for (; i < file.instructions.size() && file.instructions[i].keyword == "ARG"; ++i) {
        BuildStep meta;
        DockerfileEnv env;
        for (const auto &[k, v] : s.metaArgs)
            if (v)
                env[k] = *v;
        meta.instruction = expandInstruction(file.instructions[i], env, file);
        planArg(s, meta, s.metaArgs);
    }
    if (i == file.instructions.size() || file.instructions[i].keyword != "FROM") {
        const DockerfileInstruction &bad = file.instructions[std::min(i, file.instructions.size() - 1)];
        throw Error(dockerfileWhere(file, bad) + ": the first instruction must be FROM (after ARGs only)");
    }
    DockerfileEnv metaEnv;
    for (const auto &[k, v] : s.metaArgs)
        if (v)
            metaEnv[k] = *v;
    DockerfileInstruction from = expandInstruction(file.instructions[i], metaEnv, file);
    plan.baseRef = from.args.at(0);
    plan.basePlatform = from.flag("platform").value_or("");
    BuildBaseImage baseImage;
    if (plan.baseRef != "scratch")
        baseImage = base.resolve(plan.baseRef, plan.basePlatform, dockerfileWhere(file, from));
    plan.baseDigest = baseImage.digest;
    s.config = baseImage.config;
    std::string parent = baseImage.digest;
    int index = 0;
    for (++i; i < file.instructions.size(); ++i) {
        const DockerfileInstruction &ins = file.instructions[i];
        if (ins.keyword == "FROM")
            throw Error(dockerfileWhere(file, ins) + ": a second FROM (a multi-stage build) is not supported by Hood's builder yet");
        BuildStep step = planStep(s, ins, ++index, parent);
        parent = step.key;
        plan.steps.push_back(std::move(step));
    }
    plan.config = s.config;
    for (const auto &[k, v] : buildArgs)
        if (!s.declared.count(k) && !kBuiltinArgs.count(k))
            plan.unusedBuildArgs.push_back(k);
    return plan;
}

std::vector<StepExplanation> explainCache(const BuildPlan &plan, BuildCache &cache, bool noCache)
{
    std::vector<StepExplanation> out;
    int firstMiss = 0;
    for (const BuildStep &step : plan.steps) {
        StepExplanation e;
        e.index = step.index;
        e.key = step.key;
        if (noCache) {
            e.reason = "--no-cache: built without looking at the cache";
        } else if (firstMiss) {
            e.reason = "its parent, step " + std::to_string(firstMiss) + ", was rebuilt, so the key is new";
        } else if (auto hit = cache.lookup(step.key)) {
            e.hit = true;
            e.result = *hit;
            e.reason = hit->empty() ? "cache hit: the same instruction on the same parent (config only)"
                                    : "cache hit: the same instruction on the same parent made layer " + shortKey(*hit);
        } else {
            firstMiss = step.index;
            std::string what = step.contentHash.empty() ? "its text after substitution"
                                                        : "its text or the files it copies (" + shortKey(step.contentHash) + ")";
            if (step.instruction.keyword == "RUN" && step.text.find(" |") != std::string::npos)
                what += " or the build args it sees";
            e.reason = "cache miss: nothing was built on this parent with " + what + " before";
        }
        out.push_back(std::move(e));
        if (noCache && !firstMiss)
            firstMiss = step.index;
    }
    return out;
}

std::string shortKey(const std::string &key)
{
    size_t colon = key.find(':');
    std::string hex = colon == std::string::npos ? key : key.substr(colon + 1);
    return hex.substr(0, 12);
}

} // namespace hood
