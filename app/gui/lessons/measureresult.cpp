#include "measureresult.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hood::gui {

namespace {

struct Measure {
    QString name;
    QStringList args;
    QString description;
};

const QList<Measure> kMeasures = {
    {"vm-boot", {"vm", "boot", "--json"}, "Boot a QEMU VM to /init and start a container, both timed"},
    {"translate", {"vm", "translate", "--json"}, "Run arm64 busybox under qemu-aarch64 and read its translation blocks"},
    {"translate-x86", {"vm", "translate", "--arch", "x86_64", "--json"},
     "Run busybox under qemu-x86_64 and read its translation blocks"},
    {"switches", {"measure", "switches", "--json"}, "Run two busy containers on one CPU and count their context switches"},
    {"proot", {"measure", "proot", "--json"}, "Time one workload natively, under PRoot and in a container"},
    {"kvm", {"vm", "kvm", "--json"}, "Run a trial guest on /dev/kvm and time it"},
    {"image", {"measure", "image", "--json"}, "Save busybox as an OCI layout, check its digests, load, push and pull it"},
    {"build", {"measure", "build", "--json"}, "Build a Dockerfile, rebuild it, edit a file and rebuild again"},
    {"network", {"measure", "network", "--json"},
     "Start a web server on a bridge with a published port and count its packets"},
    {"seccomp", {"measure", "seccomp", "--json"}, "Try two system calls with the default seccomp profile and without"},
    {"runc", {"measure", "runc", "--json"}, "Run runc's verbs on an OCI bundle, each timed"},
};

const Measure *find(const QString &what)
{
    for (const Measure &m : kMeasures)
        if (m.name == what)
            return &m;
    return nullptr;
}

QString hex(const QJsonValue &v)
{
    return "0x" + QString::number(qulonglong(v.toDouble()), 16);
}

MeasureResult bootResult(const QJsonObject &j)
{
    MeasureResult r;
    const QJsonObject vm = j["vm"].toObject(), ct = j["container"].toObject();
    r.title = QStringLiteral("A VM boot and a container start, on this machine");
    r.unit = "ms";
    const QString accel = vm["accel"].toString().toUpper();
    if (vm["initMs"].isDouble())
        r.bars << MeasureBar{"VM (" + accel + ") to its /init", vm["initMs"].toDouble()};
    if (ct["startMs"].isDouble())
        r.bars << MeasureBar{"container to its command", ct["startMs"].toDouble()};
    if (j["ratio"].isDouble())
        r.summary = QStringLiteral("The VM took %1 times as long. %2")
                        .arg(QString::number(j["ratio"].toDouble(), 'f', 0), vm["accelReason"].toString());
    r.method = j["method"].toString();
    r.error = !vm["error"].toString().isEmpty() ? vm["error"].toString() : ct["error"].toString();
    return r;
}

MeasureBlock block(const QJsonObject &b)
{
    MeasureBlock m;
    m.pc = hex(b["pc"]);
    m.ratio = b["ratio"].toDouble();
    QList<double> addresses;
    for (const QJsonValue &g : b["guest"].toArray()) {
        m.guest << g["text"].toString();
        addresses << g["address"].toDouble();
        m.host << QStringList();
    }
    for (const QJsonValue &h : b["host"].toArray()) {
        const int i = int(addresses.indexOf(h["guest"].toDouble()));
        if (i >= 0)
            m.host[i] << h["text"].toString();
    }
    return m;
}

MeasureResult translateResult(const QJsonObject &j)
{
    MeasureResult r;
    const QString arch = j["arch"].toString();
    r.title = QStringLiteral("%1 code translated by QEMU to this machine's x86-64").arg(arch);
    r.unit = "ms";
    r.bars << MeasureBar{"native", j["nativeMs"].toDouble()}
           << MeasureBar{"translated (qemu-" + arch + ")", j["translatedMs"].toDouble()};
    r.summary = QStringLiteral("%1 translation blocks: %2 guest instructions became %3 host instructions (%4 "
                               "per guest instruction). The workload ran %5 times slower translated. Guest: %6.")
                    .arg(j["blockCount"].toInt())
                    .arg(j["guestInsns"].toInt())
                    .arg(j["hostInsns"].toInt())
                    .arg(QString::number(j["ratio"].toDouble(), 'f', 1),
                         QString::number(j["slowdown"].toDouble(), 'f', 1), j["guestHow"].toString());
    r.method = j["method"].toString();
    for (const QJsonValue &b : j["blocks"].toArray())
        r.blocks << block(b.toObject());
    r.error = j["error"].toString();
    return r;
}

// `vm kvm` exits 1 when KVM is not usable: that is its answer, not a failure.
MeasureResult kvmResult(const QJsonObject &j)
{
    MeasureResult r;
    r.title = QStringLiteral("A trial guest on /dev/kvm");
    r.unit = "ms";
    if (j["device"].toBool() && j["trialMs"].toDouble() > 0)
        r.bars << MeasureBar{"32,770 guest instructions on KVM", j["trialMs"].toDouble()};
    r.summary = (j["usable"].toBool() ? QStringLiteral("KVM is usable. ") : QStringLiteral("KVM is not usable. "))
                + j["reason"].toString();
    r.method = QStringLiteral("a VM of one page and one vCPU made with KVM_CREATE_VM and KVM_CREATE_VCPU, the "
                              "feature MSRs QEMU copies set, then KVM_RUN of a count-down loop timed until its hlt.");
    return r;
}

MeasureResult barsResult(const QJsonObject &j)
{
    MeasureResult r;
    r.title = j["title"].toString();
    r.unit = j["unit"].toString();
    for (const QJsonValue &b : j["bars"].toArray())
        r.bars << MeasureBar{b["label"].toString(), b["value"].toDouble()};
    r.summary = j["summary"].toString();
    r.method = j["method"].toString();
    return r;
}

} // namespace

QStringList measureNames()
{
    QStringList names;
    for (const Measure &m : kMeasures)
        names << m.name;
    return names;
}

QStringList measureArguments(const QString &what)
{
    const Measure *m = find(what);
    return m ? m->args : QStringList();
}

QString describeMeasure(const QString &what)
{
    const Measure *m = find(what);
    return m ? m->description : "Measure " + what;
}

MeasureResult measureResult(const QString &what, const QByteArray &json, int exitCode)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        MeasureResult r;
        // hoodctl failed before it could measure: its own sentence is on stderr,
        // which the caller passes here when stdout had no JSON.
        const QString text = QString::fromUtf8(json).trimmed();
        r.error = text.isEmpty() ? QStringLiteral("hoodctl ended with status %1 and said nothing").arg(exitCode)
                                 : text.section('\n', 0, 0).remove(QStringLiteral("hoodctl: "));
        return r;
    }
    const QJsonObject j = doc.object();
    if (what == "kvm")
        return kvmResult(j);
    MeasureResult r = what == "vm-boot"                                 ? bootResult(j)
                      : what == "translate" || what == "translate-x86" ? translateResult(j)
                                                                         : barsResult(j);
    if (r.error.isEmpty() && exitCode != 0)
        r.error = QStringLiteral("hoodctl ended with status %1").arg(exitCode);
    return r;
}

} // namespace hood::gui
