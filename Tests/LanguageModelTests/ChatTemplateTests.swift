import GGUF
import Testing

@testable import LanguageModel

@Suite struct ChatTemplateTests {
    static let conversation: [ChatMessage] = [
        .system("You are a physics tutor."), .user("Why do things fall?"), .assistant("Gravity pulls them."),
        .user("Why?"),
    ]

    @Test func smolLM2sTemplateIsChatMLWithItsDefaultSystemPrompt() throws {
        let jinja = """
            {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system
            You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
            ' }}{% endif %}{{'<|im_start|>' + message['role'] + '
            ' + message['content'] + '<|im_end|>' + '
            '}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant
            ' }}{% endif %}
            """
        let template = try #require(ChatTemplate(jinja: jinja))
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        #expect(
            template.render([.user("Hi")]) == """
                <|im_start|>system
                You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
                <|im_start|>user
                Hi<|im_end|>
                <|im_start|>assistant

                """)
        #expect(template.endOfTurn == "<|im_end|>")
    }

    @Test func chatMLRendersEveryTurnAndOpensTheAssistantsTurn() {
        let template = ChatTemplate(family: .chatML)
        #expect(
            template.render(Self.conversation) == """
                <|im_start|>system
                You are a physics tutor.<|im_end|>
                <|im_start|>user
                Why do things fall?<|im_end|>
                <|im_start|>assistant
                Gravity pulls them.<|im_end|>
                <|im_start|>user
                Why?<|im_end|>
                <|im_start|>assistant

                """)
        #expect(!template.render(Self.conversation, addGenerationPrompt: false).hasSuffix("assistant\n"))
    }

    @Test func qwen2sTemplateIsChatMLWithItsDefaultSystemPrompt() throws {
        let jinja = """
            {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}\
            {{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}\
            {{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}
            """
        let template = try #require(ChatTemplate(jinja: jinja))
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == "You are a helpful assistant.")
        #expect(template.render([.system("Be brief."), .user("Hi")]).hasPrefix("<|im_start|>system\nBe brief."))
    }

    /// Qwen2.5's layout: the system turn opened for tools first, built from variables, the default message later.
    @Test func aDefaultSystemPromptAfterABranchBuiltFromVariablesIsFound() throws {
        let jinja = """
            {%- if tools %}{{- '<|im_start|>system\n' }}{%- if messages[0]['role'] == 'system' %}\
            {{- messages[0]['content'] }}{%- endif %}{{- '<|im_end|>\n' }}\
            {%- elif messages[0]['role'] == 'system' %}\
            {{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}\
            {%- else %}{{- '<|im_start|>system\nYou explain physics to children.<|im_end|>\n' }}{%- endif %}
            """
        let template = try #require(ChatTemplate(jinja: jinja))
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == "You explain physics to children.")
        #expect(template.render([.user("Hi")]).hasPrefix("<|im_start|>system\nYou explain physics to children."))
    }

    @Test func llama3UsesHeaderMarkupAndTrimsContent() throws {
        let template = try #require(
            ChatTemplate(
                jinja: """
                    {% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + \
                    message['content'] | trim + '<|eot_id|>' %}
                    """))
        #expect(template.family == .llama3)
        #expect(
            template.render([.system(" Be brief. "), .user("Hi")]) == """
                <|start_header_id|>system<|end_header_id|>

                Be brief.<|eot_id|><|start_header_id|>user<|end_header_id|>

                Hi<|eot_id|><|start_header_id|>assistant<|end_header_id|>


                """)
        #expect(template.endOfTurn == "<|eot_id|>")
    }

    @Test func llama2PutsTheSystemBlockInsideTheFirstInstruction() throws {
        let template = try #require(
            ChatTemplate(jinja: "{{ bos_token + '[INST] <<SYS>>\\n' + system + '\\n<</SYS>>' }}"))
        #expect(template.family == .llama2)
        #expect(
            template.render(Self.conversation) == """
                [INST] <<SYS>>
                You are a physics tutor.
                <</SYS>>

                Why do things fall? [/INST] Gravity pulls them. </s><s>[INST] Why? [/INST]
                """)
    }

    @Test func mistralHasNoSystemBlockAndLeadsTheFirstInstructionWithTheSystemText() throws {
        let template = try #require(ChatTemplate(jinja: "{{ '[INST] ' + message['content'] + ' [/INST]' }}"))
        #expect(template.family == .mistral)
        #expect(
            template.render(Array(Self.conversation.prefix(2))) == """
                [INST] You are a physics tutor.

                Why do things fall? [/INST]
                """)
    }

    @Test func gemmaCallsTheAssistantModelAndFoldsTheSystemTextIntoTheFirstUserTurn() throws {
        let template = try #require(ChatTemplate(jinja: "{{ '<start_of_turn>' + role + '\\n' }}"))
        #expect(template.family == .gemma)
        #expect(
            template.render(Self.conversation) == """
                <start_of_turn>user
                You are a physics tutor.

                Why do things fall?<end_of_turn>
                <start_of_turn>model
                Gravity pulls them.<end_of_turn>
                <start_of_turn>user
                Why?<end_of_turn>
                <start_of_turn>model

                """)
        #expect(template.endOfTurn == "<end_of_turn>")
    }

    @Test func phi3EndsTurnsWithEnd() throws {
        let template = try #require(
            ChatTemplate(jinja: "{{'<|user|>\\n' + message['content'] + '<|end|>\\n<|assistant|>\\n'}}"))
        #expect(template.family == .phi3)
        #expect(
            template.render([.system("Be brief."), .user("Hi")]) == """
                <|system|>
                Be brief.<|end|>
                <|user|>
                Hi<|end|>
                <|assistant|>

                """)
    }

    @Test func zephyrEndsTurnsWithEos() throws {
        let template = try #require(
            ChatTemplate(jinja: "{{ '<|user|>\\n' + message['content'] + eos_token }}{{ '<|assistant|>' }}"))
        #expect(template.family == .zephyr)
        #expect(
            template.render([.user("Hi"), .assistant("Hello"), .user("Why?")]) == """
                <|user|>
                Hi</s>
                <|assistant|>
                Hello</s>
                <|user|>
                Why?</s>
                <|assistant|>

                """)
    }

    @Test func anUnknownTemplateIsNotGuessed() {
        #expect(ChatTemplate(jinja: "{{ messages | tojson }}") == nil)
    }

    @Test(.enabled(if: TestModels.hasSmolLM2, "needs the SmolLM2 model in the cache (run the model fetch step)"))
    func theSmolLM2FilesTemplateIsRecognizedAndItsPromptTokenizesToChatMarkup() throws {
        let file = try GGUFFile(path: TestModels.smolLM2Path)
        let template = try #require(ChatTemplate(file: file))
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt?.hasPrefix("You are a helpful AI assistant named SmolLM") == true)
        let tokenizer = try Tokenizer(file: file)
        let ids = tokenizer.encode(template.render([.user("Hi")]), addSpecial: true, parseSpecial: true)
        #expect(ids.first == 1)  // <|im_start|>
        #expect(ids.filter { $0 == 1 }.count == 3)
        #expect(ids.filter { $0 == 2 }.count == 2)  // <|im_end|>
    }
}
