// swift-tools-version: 6.1
// VoiceTutor: an offline, spoken physics tutor. See README.md and DESIGN notes in the repository.
import PackageDescription

let package = Package(
    name: "VoiceTutor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tutor", targets: ["tutor"]),
        .library(
            name: "VoiceTutor",
            targets: [
                "TutorCore", "Kernels", "GGUF", "Audio", "Recognition", "LanguageModel", "Tutor", "Synthesis",
                "Lessons", "Pipeline",
            ]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System-library shims. Each is a module map over the Debian -dev package's headers.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // Shared vocabulary: every stage depends on it, it depends on no stage.
        .target(
            name: "TutorCore",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),

        // Tensors and math shared by the recognizer and the language model: quantized blocks, matvec, sgemm, ops.
        // CKernels: the innermost dot-product loops in AVX2 intrinsics, chosen at run time; Kernels keeps the Swift
        // reference and the portable fast path beside them.
        .target(name: "CKernels"),
        .target(name: "Kernels", dependencies: ["TutorCore", "COpenBLAS", "CKernels"]),

        // Stages. A stage never imports another stage; only the command line (and later Pipeline) knows them all.
        // Curriculum, retrieval, prompts and dialogue; it reaches the language model through TutorCore protocols.
        .target(name: "Tutor", dependencies: ["TutorCore"]),
        .target(
            name: "Audio",
            dependencies: [
                "TutorCore", "GGUF", "CALSA", "CSndFile", .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Speech recognition: CTranslate2-to-GGUF conversion, log-mel front end, Whisper tokenizer (and later the
        // encoder, decoder and decoding). Reaches the language model and the tutor only through TutorCore.
        .target(
            name: "Recognition",
            dependencies: ["TutorCore", "GGUF", "Kernels", .product(name: "Logging", package: "swift-log")]
        ),

        // Speech synthesis: text normalization, lexicons and letter-to-sound rules, prosody, a formant voice.
        // Reads Lexicons/ and Voices/ text files; imports only TutorCore.
        .target(name: "Synthesis", dependencies: ["TutorCore"]),

        // Model files: reading (and writing, for converted models) GGUF, validated before use.
        .target(name: "GGUF", dependencies: ["TutorCore"]),
        // The llama-family transformer: tokenizers, KV cache, samplers, chat templates.
        .target(
            name: "LanguageModel",
            dependencies: ["TutorCore", "GGUF", "Kernels", .product(name: "Logging", package: "swift-log")]
        ),

        // Teachers' lessons: the library and its manifest, transcripts, the script markup, finding a lesson.
        // Imports only TutorCore; the command line joins it to capture, recognition and speech.
        .target(name: "Lessons", dependencies: ["TutorCore"]),

        // Composition: the only target that knows every stage. The bounded streaming graph (capture, endpointing,
        // recognition, tutor and language model, sentences, synthesis, playback), barge-in, latency accounting and
        // the kiosk loop, which also plays the lessons children ask for.
        .target(
            name: "Pipeline",
            dependencies: [
                "TutorCore", "Audio", "Recognition", "LanguageModel", "Tutor", "Synthesis", "Lessons",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The command line.
        .executableTarget(
            name: "tutor",
            dependencies: [
                "TutorCore", "Audio", "GGUF", "Kernels", "LanguageModel", "Recognition", "Tutor", "Synthesis",
                "Lessons", "Pipeline", "COpenBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Tests, one target per module.
        .testTarget(name: "TutorCoreTests", dependencies: ["TutorCore"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"]),
        // Runs the built `tutor` command as a user would; depends on it so `swift test` builds it.
        .testTarget(name: "TutorCLITests", dependencies: ["tutor", "Audio", "TutorCore"]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TutorCore"], resources: [.copy("CrashVectors")]),
        // Golden/ holds token ids and logits produced by llama.cpp's own tools (see Golden/README.md).
        .testTarget(
            name: "LanguageModelTests", dependencies: ["LanguageModel", "GGUF", "Kernels", "TutorCore"],
            resources: [.copy("Golden")]
        ),
        // crashing-recorder records and SIGKILLs itself, for the crash-safety tests (a process of its own: fork()
        // inside the test runner can hang on OpenBLAS's fork handler).
        .executableTarget(name: "crashing-recorder", dependencies: ["Audio"], path: "Tests/CrashingRecorder"),
        .testTarget(
            name: "AudioTests", dependencies: ["Audio", "GGUF", "TutorCore", "crashing-recorder"],
            resources: [.copy("Fixtures"), .copy("Golden")]
        ),
        // RecognitionTests needs no real weights except in the suites enabled when the cache holds them (or CI=true).
        .testTarget(
            name: "RecognitionTests", dependencies: ["Recognition", "GGUF", "Kernels", "TutorCore", "Audio"],
            resources: [.copy("Golden")]
        ),
        // TutorTests reads the repository's Curriculum/ in place (found from #filePath), not as a copied resource.
        .testTarget(name: "TutorTests", dependencies: ["Tutor"]),
        // PipelineTests drives the streaming graph through the virtual microphone; the suites that need the real
        // models run when the cache holds them (or CI=true).
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Audio", "Recognition", "Tutor", "Synthesis", "Lessons", "TutorCore"]
        ),
        // SynthesisTests reads the repository's Lexicons/, Voices/ and its own CrashVectors/ in place (from #filePath).
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "TutorCore"], exclude: ["CrashVectors"]),
        // LessonsTests finds lessons through the real retrieval over the repository's Curriculum/ (from #filePath).
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Tutor", "TutorCore"]),
    ]
)
