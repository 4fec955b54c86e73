import ArgumentParser
import Foundation
import Kernels
import LanguageModel
import TutorCore

/// `tutor bench ...`: benchmarks that print figures (never timed unit tests: these machines are shared).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed and memory; compare with the peer in the same run where one is built.",
        discussion: """
            Build in release for the host first: swift build -c release -Xswiftc -target-cpu -Xswiftc native \
            (Scripts/setup --configuration release does). Figures from a debug build are not meaningful.
            """,
        subcommands: [
            Kernels.self, LM.self, ASR.self, BenchTTSCommand.self, BenchLessonCommand.self, BenchE2ECommand.self,
            BenchSoakCommand.self,
        ]
    )

    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kernels", abstract: "Matrix-vector GB/s per weight type and sgemm GFLOP/s.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Worker threads (default: the number of cores).")
        var threads = defaultKernelThreadCount
        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            global.bootstrapLogging()
            let figures = runKernelBenchmark(options: KernelBenchmarkOptions(threadCount: threads))
            if json {
                var object: [String: Any] = [
                    "threads": figures.threadCount, "dot_kernel": figures.dotKernel,
                    "sgemm_n": figures.sgemmSize, "sgemm_gflops": figures.sgemmGigaflopsPerSecond,
                ]
                object["matvec"] = figures.matvecs.map {
                    [
                        "type": "\($0.type)", "rows": $0.rows, "cols": $0.cols, "seconds": $0.seconds,
                        "gb_per_s": $0.gigabytesPerSecond,
                    ] as [String: Any]
                }
                printJSON(object)
                return
            }
            print("threads \(figures.threadCount), dot products: \(figures.dotKernel)")
            for figure in figures.matvecs {
                print(
                    String(
                        format: "matvec %@ %6d x %5d  %8.1f µs  %6.1f GB/s", "\(figure.type)", figure.rows,
                        figure.cols, figure.seconds * 1e6, figure.gigabytesPerSecond))
            }
            print(String(format: "sgemm %d^3  %.1f GFLOP/s", figures.sgemmSize, figures.sgemmGigaflopsPerSecond))
        }
    }

    struct LM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lm",
            abstract: "Prompt processing and decode tokens/s, time to first token, peak RSS; beside llama-bench.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The GGUF model (default: SmolLM2-135M-Instruct Q4_1 in the cache).")
        var model: String?
        @Option(help: "Worker threads, for us and for llama-bench.")
        var threads = defaultKernelThreadCount
        @Option(help: "Prompt tokens.")
        var prompt = 128
        @Option(help: "Decoded tokens (timed after the first).")
        var decode = 128
        @Option(help: "The session's context (the KV cache is allocated for all of it).")
        var context = 2_048
        @Option(help: "llama-bench to compare with (default: the one Scripts/peers/build-llama-cpp builds).")
        var llamaBench: String?
        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            global.bootstrapLogging()
            let path =
                model
                ?? TutorPaths.defaultLanguageModelFile().path
            let loaded = try LlamaModel(path: path)
            let ours = try LanguageModelBenchmark.run(
                model: loaded, promptTokens: prompt, decodeTokens: decode, contextLength: context,
                threadCount: threads)
            let peer = try LlamaBenchPeer.run(
                executable: llamaBench, model: path, threads: threads, prompt: prompt, decode: decode)
            if json {
                var object: [String: Any] = [
                    "model": path, "threads": threads, "prompt_tokens": prompt,
                    "pp_tokens_per_s": ours.promptTokensPerSecond, "ttft_ms": ours.timeToFirstTokenMilliseconds,
                    "decode_tokens": decode, "tg_tokens_per_s": ours.decodeTokensPerSecond,
                    "weight_bytes": ours.weightBytes, "implied_gb_per_s": ours.impliedGigabytesPerSecond,
                    "peak_rss_mb": ours.peakResidentMegabytes,
                ]
                if let peer {
                    object["llama_cpp_pp_tokens_per_s"] = peer.promptTokensPerSecond
                    object["llama_cpp_tg_tokens_per_s"] = peer.decodeTokensPerSecond
                    object["pp_ratio"] = ours.promptTokensPerSecond / peer.promptTokensPerSecond
                    object["tg_ratio"] = ours.decodeTokensPerSecond / peer.decodeTokensPerSecond
                }
                printJSON(object)
                return
            }
            print("model \(path), \(threads) threads, context \(context)")
            print(String(format: "prompt processing  %8.1f tokens/s (%d tokens)", ours.promptTokensPerSecond, prompt))
            print(String(format: "time to first token %7.1f ms", ours.timeToFirstTokenMilliseconds))
            print(
                String(
                    format: "decode             %8.1f tokens/s (%d tokens, timed after the first)",
                    ours.decodeTokensPerSecond, decode))
            print(
                String(
                    format: "weights            %8.1f MB per token, %.1f GB/s implied",
                    Double(ours.weightBytes) / 1e6, ours.impliedGigabytesPerSecond))
            print(String(format: "peak RSS           %8.1f MB", ours.peakResidentMegabytes))
            if let peer {
                print(
                    String(
                        format: "llama.cpp          pp %8.1f tokens/s, tg %8.1f tokens/s (%@)",
                        peer.promptTokensPerSecond, peer.decodeTokensPerSecond, peer.executable))
                print(
                    String(
                        format: "ratio (ours / llama.cpp)  pp %.2fx  tg %.2fx",
                        ours.promptTokensPerSecond / peer.promptTokensPerSecond,
                        ours.decodeTokensPerSecond / peer.decodeTokensPerSecond))
            } else {
                print("llama.cpp          not built: run Scripts/peers/build-llama-cpp to compare in the same run")
            }
        }
    }
}

/// llama.cpp's llama-bench, run with the same model and threads.
enum LlamaBenchPeer {
    struct Figures {
        var executable: String
        var promptTokensPerSecond: Double
        var decodeTokensPerSecond: Double
    }

    /// Runs llama-bench if it exists; nil when it was never built.
    static func run(executable: String?, model: String, threads: Int, prompt: Int, decode: Int) throws -> Figures? {
        let path =
            executable
            ?? TutorPaths.cacheDirectory().appendingPathComponent("peers/llama.cpp/build-0.3.36/bin/llama-bench").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            if executable != nil { throw UserFacingError("\(path): no llama-bench executable there") }
            return nil
        }
        let result = try ProcessRunner.run([
            path, "-m", model, "-t", "\(threads)", "-p", "\(prompt)", "-n", "\(decode)", "-r", "3", "-o", "json",
        ])
        guard result.status == 0, let data = result.standardOutput.data(using: .utf8),
            let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else {
            throw UserFacingError("\(path) failed (status \(result.status)): \(result.standardError.suffix(500))")
        }
        func rate(_ promptCount: Int, _ generateCount: Int) -> Double? {
            rows.first { ($0["n_prompt"] as? Int) == promptCount && ($0["n_gen"] as? Int) == generateCount }?["avg_ts"]
                as? Double
        }
        guard let pp = rate(prompt, 0), let tg = rate(0, decode) else {
            throw UserFacingError("\(path): unexpected JSON (no pp\(prompt) / tg\(decode) rows)")
        }
        return Figures(executable: path, promptTokensPerSecond: pp, decodeTokensPerSecond: tg)
    }
}

/// Prints a JSON object on one line, keys sorted (machine-readable bench output).
func printJSON(_ object: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}
