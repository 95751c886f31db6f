// The `measure` action's figures: what hoodctl measured (`hoodctl vm boot --json`,
// `vm translate --json`, `measure switches --json`, `measure proot --json`) as
// plain values the dock draws: bars with their labels, one sentence of summary,
// the method, and for translation the blocks. Pure, tested on hoodctl's JSON.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace hood::gui {

struct MeasureBar {
    QString label;
    double value = 0;
};

// One translation block: each guest instruction beside the host code it became.
struct MeasureBlock {
    QString pc;                 // "0x400580"
    double ratio = 0;           // host instructions per guest instruction
    QStringList guest;          // "nop"
    QList<QStringList> host;    // the host instructions of guest[i]
};

struct MeasureResult {
    QString title;
    QString unit;
    QList<MeasureBar> bars;
    QString summary;
    QString method;
    QList<MeasureBlock> blocks;
    QString error; // one sentence; the rest may still hold what was measured
};

// The figures a lesson may ask for: vm-boot, translate, translate-x86, switches, proot, kvm,
// image, build, network, seccomp, runc.
QStringList measureNames();
// hoodctl's words for one of them.
QStringList measureArguments(const QString &what);
// What the action's line says while it runs: "Boot a VM and start a container, timed".
QString describeMeasure(const QString &what);
// hoodctl's JSON (and exit status) as figures.
MeasureResult measureResult(const QString &what, const QByteArray &json, int exitCode);

} // namespace hood::gui
