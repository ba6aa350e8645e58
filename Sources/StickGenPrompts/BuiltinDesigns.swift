// The built-in designs. Their published copies are pipelines/designs/*.yaml; a test keeps both equal.
import StickArtifacts
enum BuiltinDesigns {
    static let all: [String: String] = [
        "leaderboard": #"""
            # The Stick to Your Role! leaderboard design (protocol.md §1): nine contexts over the 50 real-world
            # personas of the reference dataset (`stick data import`). Every model is run on the same sessions.
            stick: design
            version: 1
            name: leaderboard
            description: Nine contexts of the Stick to Your Role! leaderboard (no conversation, five Reddit conversations, chess, grammar, SVS).
            population: real_world_people
            contexts:
              - id: no_conv
                instrument: pvq40
                permutation_seed: leaderboard_no_conv
              - id: "0"
                instrument: pvq40
                permutation_seed: leaderboard_0
                conversation: {turns: 3, openers: leaderboard_reddit_chunk_0}
              - id: "1"
                instrument: pvq40
                permutation_seed: leaderboard_1
                conversation: {turns: 3, openers: leaderboard_reddit_chunk_1}
              - id: "2"
                instrument: pvq40
                permutation_seed: leaderboard_2
                conversation: {turns: 3, openers: leaderboard_reddit_chunk_2}
              - id: "3"
                instrument: pvq40
                permutation_seed: leaderboard_3
                conversation: {turns: 3, openers: leaderboard_reddit_chunk_3}
              - id: "4"
                instrument: pvq40
                permutation_seed: leaderboard_4
                conversation: {turns: 3, openers: leaderboard_reddit_chunk_4}
              - id: chess_0
                instrument: pvq40
                permutation_seed: leaderboard_chess_0
                conversation:
                  turns: 3
                  opening: "1. e4"
                  interlocutors: real_world_people/chunk_0
              - id: grammar_1
                instrument: pvq40
                permutation_seed: leaderboard_grammar_1
                conversation:
                  turns: 3
                  opening: "Can you check this sentence for grammar? \n Whilst Jane was waiting to meet hers friend their nose started bleeding."
                  interlocutors: real_world_people/chunk_1
              - id: svs_no_conv
                instrument: svs57
                permutation_seed: leaderboard_svs_no_conv

            """#,
        "demo": #"""
            # The offline demo design over the embedded synthetic dataset (`--dataset demo`): the same kinds of
            # context as the leaderboard (no conversation, forum conversations, chess, grammar, value survey).
            stick: design
            version: 1
            name: demo
            description: Six contexts over the synthetic demo dataset, for offline runs and tests.
            population: demo_people
            contexts:
              - id: no_conv
                instrument: demo-pvq30
                permutation_seed: demo_no_conv
              - id: forum_0
                instrument: demo-pvq30
                permutation_seed: demo_forum_0
                conversation: {turns: 3, openers: demo_forum_0}
              - id: forum_1
                instrument: demo-pvq30
                permutation_seed: demo_forum_1
                conversation: {turns: 3, openers: demo_forum_1}
              - id: chess_0
                instrument: demo-pvq30
                permutation_seed: demo_chess_0
                conversation:
                  turns: 3
                  opening: "1. d4"
                  interlocutors: demo_people/chunk_0
              - id: grammar_1
                instrument: demo-pvq30
                permutation_seed: demo_grammar_1
                conversation:
                  turns: 3
                  opening: "Could you proofread this? \n Me and him goes to the market every sundays."
                  interlocutors: demo_people/chunk_1
              - id: svs_no_conv
                instrument: demo-svs22
                permutation_seed: demo_svs_no_conv

            """#,
    ]
}
