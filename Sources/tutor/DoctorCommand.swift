import ArgumentParser
import COpenBLAS
import Foundation
import TutorCore

/// `tutor doctor`: checks the machine and says what to fix.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check sound devices, the model cache, CPU, OpenBLAS, memory and disk; say what to fix.",
        discussion: "Exits 1 only when something the tutor cannot run without is broken; warnings exit 0."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var location: ModelsCommand.Location

    @Flag(help: "Skip hashing the model files (faster; only checks they exist).")
    var quick = false

    func run() throws {
        global.bootstrapLogging()
        var report = DoctorReport()
        checkSound(&report)
        checkModels(&report)
        checkCPU(&report)
        checkOpenBLAS(&report)
        checkMemoryAndDisk(&report)
        print(report.text)
        if report.failures > 0 {
            throw UserFacingError("doctor: \(report.failures) problem(s) to fix, listed above")
        }
    }

    private func checkModels(_ report: inout DoctorReport) {
        report.section("models")
        let store: ModelStore
        do {
            store = try location.store()
        } catch {
            report.fail("\(error)", fix: "restore Models/manifest.tsv from the repository")
            return
        }
        report.info("cache: \(store.cacheDirectory.path)")
        var missing: [String] = []
        var damaged: [String] = []
        for entry in store.manifest.entries {
            if store.manifest.partFiles.contains(entry.file) { continue }  // judged through their join
            let present = FileManager.default.fileExists(atPath: store.url(for: entry.file).path)
            if !present {
                missing.append(entry.file)
            } else if !quick, case .corrupt(let found)? = try? store.state(of: entry) {
                damaged.append("\(entry.file) (sha256 \(found.prefix(12))…)")
            }
        }
        let checked = store.manifest.entries.count - store.manifest.partFiles.count
        if missing.isEmpty && damaged.isEmpty {
            report.ok("\(checked) model files present" + (quick ? "" : " and their sha256 match the manifest"))
        }
        if !missing.isEmpty {
            report.fail("missing: \(missing.joined(separator: ", "))", fix: "run Scripts/setup or `tutor models fetch`")
        }
        if !damaged.isEmpty {
            report.fail("damaged: \(damaged.joined(separator: ", "))", fix: "run `tutor models fetch` to replace them")
        }
    }

    private func checkCPU(_ report: inout DoctorReport) {
        report.section("cpu")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        report.info("\(cores) core(s)")
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flagsLine = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") || $0.hasPrefix("Features") }
        let flags = Set((flagsLine?.split(separator: ":").last ?? "").split(separator: " ").map(String.init))
        if let model = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) {
            report.info(
                String(model.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces))
        }
        #if arch(x86_64)
        let wanted = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni"]
        let present = wanted.filter { flags.contains($0) }
        report.info(
            "SIMD: " + (present.isEmpty ? "none of \(wanted.joined(separator: " "))" : present.joined(separator: " ")))
        if !flags.contains("avx2") {
            report.warn("no AVX2: the quantized kernels use their portable path and decode more slowly")
        } else {
            report.ok("AVX2 present")
        }
        #elseif arch(arm64)
        let present = ["asimd", "asimddp", "fphp", "asimdhp", "i8mm"].filter { flags.contains($0) }
        report.info("SIMD: " + present.joined(separator: " "))
        if flags.contains("asimddp") {
            report.ok("NEON dot product present")
        } else {
            report.warn("no NEON dot product (a Raspberry Pi 4): decoding is slower than on a Pi 5")
        }
        #endif
        if cores < 2 { report.warn("one core: answers will be slow; the tutor is tuned for two or more") }
    }

    private func checkOpenBLAS(_ report: inout DoctorReport) {
        report.section("openblas")
        let core = String(cString: openblas_get_corename())
        let config = String(cString: openblas_get_config())
        report.info(
            "core: \(core); threads: \(openblas_get_num_threads()); \(config.trimmingCharacters(in: .whitespaces))")
        let environment = ProcessInfo.processInfo.environment
        if let forced = environment["OPENBLAS_CORETYPE"] { report.info("OPENBLAS_CORETYPE=\(forced) is set") }
        #if arch(x86_64)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if core.lowercased() == "prescott" && cpuinfo.contains("avx512f") {
            report.warn(
                "OpenBLAS picked its old Prescott kernels on a CPU with AVX-512",
                fix: "for benchmarks, start with OPENBLAS_CORETYPE=SkylakeX (about 4x faster sgemm here)")
        } else {
            report.ok("OpenBLAS core \(core)")
        }
        #else
        report.ok("OpenBLAS core \(core)")
        #endif
    }

    private func checkMemoryAndDisk(_ report: inout DoctorReport) {
        report.section("memory and disk")
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        func kilobytes(_ key: String) -> Int? {
            guard let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else {
                return nil
            }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        if let total = kilobytes("MemTotal"), let available = kilobytes("MemAvailable") {
            report.info("memory: \(available / 1024) MB available of \(total / 1024) MB")
            if available < 700 * 1024 {
                report.warn("less than 700 MB free: the tutor needs about 600 MB", fix: "close other programs")
            } else {
                report.ok("enough free memory")
            }
        }
        let cache = (try? location.store().cacheDirectory) ?? TutorPaths.cacheDirectory()
        var folder = cache
        while !FileManager.default.fileExists(atPath: folder.path) && folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        if let attributes = try? FileManager.default.attributesOfFileSystem(forPath: folder.path),
            let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value
        {
            let freeMB = free / 1_048_576
            report.info("disk: \(freeMB) MB free at \(folder.path)")
            if freeMB < 1_024 {
                report.warn("less than 1 GB free: models, lessons and recordings need room", fix: "free some disk")
            } else {
                report.ok("enough free disk")
            }
        }
    }
}

/// The lines `tutor doctor` prints, with counts of what went wrong.
struct DoctorReport {
    private(set) var lines: [String] = []
    private(set) var failures = 0
    private(set) var warnings = 0

    mutating func section(_ name: String) { lines.append("[\(name)]") }
    mutating func info(_ text: String) { lines.append("  - \(text)") }
    mutating func ok(_ text: String) { lines.append("  ok    \(text)") }

    mutating func warn(_ text: String, fix: String? = nil) {
        warnings += 1
        lines.append("  WARN  \(text)")
        if let fix { lines.append("        fix: \(fix)") }
    }

    mutating func fail(_ text: String, fix: String) {
        failures += 1
        lines.append("  FAIL  \(text)")
        lines.append("        fix: \(fix)")
    }

    var text: String {
        (lines + ["", "\(failures) problem(s), \(warnings) warning(s)"]).joined(separator: "\n")
    }
}
