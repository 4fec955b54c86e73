// TutorCore: the vocabulary every stage shares, and nothing that belongs to one stage.
//
//     var audio = MonoAudio(samples: samples, sampleRateHz: speechSampleRateHz)   // 16 kHz mono Float
//     let store = ModelStore(manifest: try ModelManifest.load(from: TutorPaths.manifestFile()))
//     let gguf = store.url(for: "models/smollm2-135m-instruct-q4_1.gguf")
//
// Audio buffers, the `Stage` protocol, the counters the real-time path bumps instead of throwing, where files live
// (the model cache outside the clone, the resource folder inside it), and the model manifest and cache.
//
// Thread safety: the value types are Sendable; `AudioCounters` is safe to share; `ModelStore.fetch` runs external
// tools and is meant for set-up, not for the audio path.
