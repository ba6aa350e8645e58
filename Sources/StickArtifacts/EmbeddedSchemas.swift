// The JSON Schemas of every artifact kind, embedded so `stick validate` works anywhere.
// Their published copies are schemas/*.json; a test keeps both byte-equal.
public enum EmbeddedSchemas {
    public static let all: [String: String] = [
        "answers.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/answers.schema.json",
              "title": "Answer record",
              "description": "One record of the answers artifact written by `parse` (after the header line): the answer of one persona to one questionnaire item in one context. The header's `summary` holds the parse rates per context and status.",
              "type": "object",
              "properties": {
                "model": {
                  "type": "string",
                  "minLength": 1,
                  "description": "The model name from the responses header."
                },
                "session": {
                  "type": "string",
                  "minLength": 1,
                  "description": "The session id (context/persona)."
                },
                "context": {
                  "type": "string",
                  "minLength": 1
                },
                "persona_index": {
                  "type": "integer",
                  "minimum": 0
                },
                "item": {
                  "type": "integer",
                  "minimum": 0,
                  "description": "0-based questionnaire item."
                },
                "letter": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 1,
                  "description": "The letter chosen, as shown in the item's prompt (absent when status is none or error)."
                },
                "option": {
                  "type": "integer",
                  "minimum": 0,
                  "description": "The original (unpermuted) option index the letter showed."
                },
                "score": {
                  "type": "integer",
                  "description": "The item score (PVQ 1..6, SVS -1..7 for the reference instruments)."
                },
                "status": {
                  "type": "string",
                  "enum": [
                    "matched",
                    "multiple",
                    "none",
                    "fallback",
                    "error"
                  ],
                  "description": "matched: one \"(L)\"; multiple: several, the alphabetically earliest wins; fallback: none found, a letter was drawn; none: none found, left missing; error: the call failed."
                }
              },
              "required": [
                "model",
                "session",
                "context",
                "persona_index",
                "item",
                "status"
              ],
              "additionalProperties": false
            }

            """#,
        "dataset.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/dataset.schema.json",
              "title": "Dataset manifest",
              "description": "dataset.json of a dataset directory: instruments, populations, interlocutor sets and the index of the opener sets (each in openers/<id>.jsonl).",
              "type": "object",
              "properties": {
                "stick": {
                  "const": "dataset"
                },
                "version": {
                  "const": 1
                },
                "name": {
                  "type": "string",
                  "description": "The dataset's name."
                },
                "synthetic": {
                  "description": "True for made-up data whose results mean nothing.",
                  "type": "boolean"
                },
                "description": {
                  "type": "string"
                },
                "source": {
                  "type": "string",
                  "description": "Where the data came from."
                },
                "license": {
                  "type": "string"
                },
                "attribution": {
                  "description": "Credits to show with results.",
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "default_design": {
                  "type": "string",
                  "description": "The design gen-prompts uses when none is named."
                },
                "instruments": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/Instrument"
                  }
                },
                "populations": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/Population"
                  }
                },
                "interlocutor_sets": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/InterlocutorSet"
                  }
                },
                "opener_sets": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/OpenerSet"
                  }
                }
              },
              "required": [
                "stick",
                "version",
                "name",
                "synthetic",
                "description",
                "source",
                "license",
                "attribution",
                "default_design",
                "instruments",
                "populations",
                "interlocutor_sets",
                "opener_sets"
              ],
              "additionalProperties": false,
              "$defs": {
                "Instrument": {
                  "description": "A questionnaire.",
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "name": {
                      "type": "string"
                    },
                    "procedure": {
                      "$ref": "#/$defs/Procedure"
                    },
                    "instructions": {
                      "type": "string",
                      "description": "The questionnaire description put before an item."
                    },
                    "option_scores": {
                      "description": "The score of each original option index.",
                      "type": "array",
                      "items": {
                        "type": "integer"
                      },
                      "minItems": 1
                    },
                    "values": {
                      "description": "Values and their 1-based item numbers.",
                      "type": "array",
                      "items": {
                        "$ref": "#/$defs/ValueKey"
                      }
                    },
                    "variants": {
                      "description": "Item texts per variant: a persona's gender selects its variant, \"*\" serves everyone else.",
                      "type": "object",
                      "additionalProperties": {
                        "$ref": "#/$defs/ItemList"
                      }
                    },
                    "svs": {
                      "description": "The Schwartz Value Survey texts; required by the svs procedure, absent or null otherwise.",
                      "anyOf": [
                        {
                          "type": "null"
                        },
                        {
                          "$ref": "#/$defs/SVSProcedureSpec"
                        }
                      ]
                    }
                  },
                  "required": [
                    "id",
                    "name",
                    "procedure",
                    "instructions",
                    "option_scores",
                    "values",
                    "variants"
                  ],
                  "additionalProperties": false
                },
                "ItemList": {
                  "description": "The items of one variant, in order.",
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/QuestionnaireItem"
                  },
                  "minItems": 1
                },
                "QuestionnaireItem": {
                  "description": "One questionnaire item.",
                  "type": "object",
                  "properties": {
                    "text": {
                      "type": "string"
                    },
                    "options": {
                      "description": "Options in their original order (the order option_scores refers to).",
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "minItems": 1
                    }
                  },
                  "required": [
                    "text",
                    "options"
                  ],
                  "additionalProperties": false
                },
                "Procedure": {
                  "description": "How the items are asked: each alone (PVQ) or the Schwartz Value Survey procedure.",
                  "type": "string",
                  "enum": [
                    "independent",
                    "svs"
                  ]
                },
                "ValueKey": {
                  "description": "A value and the 1-based item numbers whose mean scores it.",
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string",
                      "description": "The value's name."
                    },
                    "items": {
                      "description": "1-based item numbers whose mean scores the value.",
                      "type": "array",
                      "items": {
                        "type": "integer",
                        "minimum": 1
                      }
                    }
                  },
                  "required": [
                    "name",
                    "items"
                  ],
                  "additionalProperties": false
                },
                "SVSProcedureSpec": {
                  "description": "The texts of the Schwartz Value Survey procedure.",
                  "type": "object",
                  "properties": {
                    "groups": {
                      "type": "array",
                      "items": {
                        "$ref": "#/$defs/SVSGroup"
                      },
                      "minItems": 1
                    },
                    "rest_instruction": {
                      "type": "string",
                      "description": "Put before the first remaining item of each group."
                    },
                    "chosen_prefix": {
                      "type": "string",
                      "description": "Put before the chosen value in the rating step."
                    },
                    "chosen_suffix": {
                      "type": "string",
                      "description": "Put after the chosen value in the rating step."
                    }
                  },
                  "required": [
                    "groups",
                    "rest_instruction",
                    "chosen_prefix",
                    "chosen_suffix"
                  ],
                  "additionalProperties": false
                },
                "SVSGroup": {
                  "description": "One list of values of the Schwartz Value Survey.",
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string",
                      "description": "The group's name."
                    },
                    "items": {
                      "description": "1-based item numbers, in the order they are shown.",
                      "type": "array",
                      "items": {
                        "type": "integer",
                        "minimum": 1
                      },
                      "minItems": 1
                    },
                    "description": {
                      "type": "string",
                      "description": "Appended to the instrument instructions in the first query of the group."
                    },
                    "prefix_most": {
                      "type": "string",
                      "description": "Asks for the value that matters most."
                    },
                    "prefix_least": {
                      "type": "string",
                      "description": "Asks for the value that matters least."
                    }
                  },
                  "required": [
                    "name",
                    "items",
                    "description",
                    "prefix_most",
                    "prefix_least"
                  ],
                  "additionalProperties": false
                },
                "Persona": {
                  "description": "A simulated person.",
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string",
                      "description": "The persona's name."
                    },
                    "description": {
                      "type": "string",
                      "description": "Who the persona is; the persona prompt is \"You are \" + description."
                    },
                    "gender": {
                      "type": "string",
                      "description": "Selects the instrument's item variant (\"*\" serves every gender without its own variant)."
                    }
                  },
                  "required": [
                    "name",
                    "description",
                    "gender"
                  ],
                  "additionalProperties": false
                },
                "Population": {
                  "description": "A list of personas.",
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "personas": {
                      "type": "array",
                      "items": {
                        "$ref": "#/$defs/Persona"
                      }
                    }
                  },
                  "required": [
                    "id",
                    "personas"
                  ],
                  "additionalProperties": false
                },
                "InterlocutorSet": {
                  "description": "One interlocutor per persona of a population.",
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "population": {
                      "type": "string",
                      "description": "The population it serves: personas[i] talks with persona i."
                    },
                    "personas": {
                      "type": "array",
                      "items": {
                        "$ref": "#/$defs/Persona"
                      }
                    }
                  },
                  "required": [
                    "id",
                    "population",
                    "personas"
                  ],
                  "additionalProperties": false
                },
                "OpenerSet": {
                  "description": "The index entry of an opener set.",
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "file": {
                      "type": "string",
                      "description": "Path of the set relative to the dataset directory, e.g. openers/<id>.jsonl."
                    },
                    "count": {
                      "type": "integer",
                      "description": "Number of openers in the file.",
                      "minimum": 0
                    },
                    "sha256": {
                      "type": "string",
                      "pattern": "^[0-9a-f]{64}$",
                      "description": "SHA-256 of the file as stored, 64 lowercase hex digits."
                    },
                    "description": {
                      "type": "string",
                      "description": "(optional)"
                    }
                  },
                  "required": [
                    "id",
                    "file",
                    "count",
                    "sha256"
                  ],
                  "additionalProperties": false
                }
              }
            }

            """#,
        "design.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/design.schema.json",
              "title": "Experiment design",
              "description": "An experiment design (YAML or JSON): the population and the contexts, each with its instrument, permutation seed and optional conversation.",
              "type": "object",
              "properties": {
                "stick": {
                  "const": "design"
                },
                "version": {
                  "const": 1
                },
                "name": {
                  "type": "string"
                },
                "description": {
                  "type": "string",
                  "description": "(optional)"
                },
                "population": {
                  "type": "string",
                  "description": "The population id in the dataset."
                },
                "contexts": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/Context"
                  }
                }
              },
              "required": [
                "stick",
                "version",
                "name",
                "population",
                "contexts"
              ],
              "additionalProperties": false,
              "$defs": {
                "Context": {
                  "description": "One context: every persona answers the instrument in it.",
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string",
                      "description": "Unique within the design."
                    },
                    "instrument": {
                      "type": "string",
                      "description": "The instrument id in the dataset."
                    },
                    "permutation_seed": {
                      "type": "string",
                      "description": "Seeds the option permutations of this context."
                    },
                    "conversation": {
                      "$ref": "#/$defs/Conversation"
                    }
                  },
                  "required": [
                    "id",
                    "instrument",
                    "permutation_seed"
                  ],
                  "additionalProperties": false
                },
                "Conversation": {
                  "description": "A conversation before the questionnaire; exactly one of opening and openers.",
                  "type": "object",
                  "properties": {
                    "turns": {
                      "type": "integer",
                      "description": "Simulated messages before the questionnaire; odd (the persona speaks first and last).",
                      "minimum": 1
                    },
                    "opening": {
                      "type": "string",
                      "description": "One fixed opening message for every persona."
                    },
                    "openers": {
                      "type": "string",
                      "description": "An opener set whose line i opens persona i's conversation."
                    },
                    "interlocutors": {
                      "type": "string",
                      "description": "An interlocutor set (interlocutor i talks with persona i); absent means a generic human."
                    },
                    "interlocutor_knows_persona": {
                      "type": "boolean"
                    },
                    "long_messages": {
                      "type": "boolean"
                    }
                  },
                  "required": [
                    "turns"
                  ],
                  "additionalProperties": false,
                  "oneOf": [
                    {
                      "required": [
                        "opening"
                      ]
                    },
                    {
                      "required": [
                        "openers"
                      ]
                    }
                  ]
                }
              }
            }

            """#,
        "header.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/header.schema.json",
              "title": "JSONL artifact header",
              "description": "The first line of every JSONL artifact (openers, sessions, responses): its kind and version, the tool that wrote it, its parameters and the inputs it was made from. Records follow, one per line.",
              "type": "object",
              "properties": {
                "stick": {
                  "type": "string",
                  "description": "The artifact kind.",
                  "enum": [
                    "openers",
                    "sessions",
                    "responses",
                    "answers"
                  ]
                },
                "version": {
                  "type": "integer",
                  "description": "The format version of the kind; readers refuse versions they do not know.",
                  "minimum": 1
                },
                "tool": {
                  "type": "string",
                  "description": "The tool and version that wrote the artifact, e.g. \"stick 0.1.0\"."
                },
                "params": {
                  "description": "The parameters the artifact was made with (free-form).",
                  "type": "object"
                },
                "inputs": {
                  "description": "Every input the artifact was made of.",
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/Input"
                  }
                },
                "summary": {
                  "description": "Free-form totals about the records (optional).",
                  "type": "object"
                }
              },
              "required": [
                "stick",
                "version",
                "tool",
                "params",
                "inputs"
              ],
              "additionalProperties": false,
              "$defs": {
                "Input": {
                  "description": "Where an input came from.",
                  "type": "object",
                  "properties": {
                    "role": {
                      "type": "string",
                      "description": "What the input was used as, e.g. \"dataset\" or \"design\"."
                    },
                    "name": {
                      "type": "string",
                      "description": "The input's name or path."
                    },
                    "sha256": {
                      "type": "string",
                      "pattern": "^[0-9a-f]{64}$",
                      "description": "SHA-256, 64 lowercase hex digits."
                    }
                  },
                  "required": [
                    "role",
                    "name",
                    "sha256"
                  ],
                  "additionalProperties": false
                }
              }
            }

            """#,
        "leaderboard.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/leaderboard.schema.json",
              "title": "Leaderboard",
              "description": "What `rank --json` writes: the 72 leaderboard columns of every model (metrics.md §7.1), its win rates, the summary columns of the reference's leaderboard.csv, benchbench's diversity and sensitivity, and rank intervals when the models carry bootstrap replicates.",
              "type": "object",
              "properties": {
                "stick": {
                  "const": "leaderboard"
                },
                "version": {
                  "const": 1
                },
                "tool": {
                  "type": "string"
                },
                "contexts": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "columns": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "models": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "model": {
                        "type": "string"
                      },
                      "format": {
                        "enum": [
                          "stick",
                          "reference",
                          "fixture"
                        ]
                      },
                      "file": {
                        "type": "string"
                      },
                      "Ordinal (Win rate)": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "Cardinal (Score)": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "RO Stability": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "Stress": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "CFI": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "SRMR": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "RMSEA": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "values": {
                        "type": "object",
                        "additionalProperties": {
                          "type": [
                            "number",
                            "null"
                          ]
                        }
                      },
                      "win_rates": {
                        "type": "object",
                        "additionalProperties": {
                          "type": [
                            "number",
                            "null"
                          ]
                        }
                      },
                      "rank_intervals": {
                        "type": "object",
                        "description": "cardinal and ordinal: lower and upper rank (percentile interval) and distribution[k] = share of replicates in which the model ranks k + 1."
                      }
                    },
                    "required": [
                      "model",
                      "format",
                      "file",
                      "Ordinal (Win rate)",
                      "Cardinal (Score)",
                      "RO Stability",
                      "Stress",
                      "CFI",
                      "SRMR",
                      "RMSEA",
                      "values",
                      "win_rates"
                    ]
                  }
                },
                "diversity": {
                  "type": "object"
                },
                "sensitivity": {
                  "type": "object"
                },
                "bootstrap": {
                  "type": "object"
                },
                "warnings": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                }
              },
              "required": [
                "stick",
                "version",
                "contexts",
                "columns",
                "models"
              ],
              "additionalProperties": false
            }

            """#,
        "manifest.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/manifest.schema.json",
              "title": "Archive manifest",
              "description": "MANIFEST.json, the first member of a run archive written by pack: every other member with its size and hash.",
              "type": "object",
              "properties": {
                "stick": {
                  "const": "manifest"
                },
                "version": {
                  "const": 1
                },
                "tool": {
                  "type": "string",
                  "description": "The tool and version that wrote the archive."
                },
                "members": {
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/Member"
                  }
                }
              },
              "required": [
                "stick",
                "version",
                "tool",
                "members"
              ],
              "additionalProperties": false,
              "$defs": {
                "Member": {
                  "description": "One archive member.",
                  "type": "object",
                  "properties": {
                    "path": {
                      "type": "string",
                      "description": "Path inside the archive."
                    },
                    "size": {
                      "type": "integer",
                      "description": "Size in bytes as stored.",
                      "minimum": 0
                    },
                    "sha256": {
                      "type": "string",
                      "pattern": "^[0-9a-f]{64}$",
                      "description": "SHA-256, 64 lowercase hex digits."
                    },
                    "kind": {
                      "type": "string",
                      "description": "The artifact kind, when the member is a stick artifact."
                    },
                    "version": {
                      "type": "integer",
                      "description": "The artifact version, when the member is a stick artifact."
                    }
                  },
                  "required": [
                    "path",
                    "size",
                    "sha256"
                  ],
                  "additionalProperties": false
                }
              }
            }

            """#,
        "metrics.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/metrics.schema.json",
              "title": "Model metrics",
              "description": "What `score` writes for one model: value-structure and stability statistics computed as the reference does (metrics.md), full precision, NaN written as null. Context maps are keyed by context name; `rank_order.pairwise` is the 9 × 9 (contexts × contexts) matrix. `--format reference` writes the reference's per-model analysis JSON instead, which has no stick header.",
              "type": "object",
              "properties": {
                "stick": {
                  "const": "metrics"
                },
                "version": {
                  "const": 1
                },
                "tool": {
                  "type": "string"
                },
                "model": {
                  "type": "string",
                  "minLength": 1
                },
                "inputs": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "role": {
                        "type": "string"
                      },
                      "name": {
                        "type": "string"
                      },
                      "sha256": {
                        "type": "string"
                      }
                    },
                    "required": [
                      "role",
                      "name",
                      "sha256"
                    ],
                    "additionalProperties": false
                  }
                },
                "options": {
                  "type": "object",
                  "description": "The options score ran with: stress_variant (legacy|v17), cfa, cfa_rounding (reference|none), ipsative, bootstrap, seed."
                },
                "n_personas": {
                  "type": "integer",
                  "minimum": 1
                },
                "contexts": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  },
                  "minItems": 2
                },
                "instruments": {
                  "type": "object",
                  "additionalProperties": {
                    "type": "string"
                  }
                },
                "value_order": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "rank_order": {
                  "type": "object",
                  "description": "Rank-Order stability: overall (mean over values of the mean over context pairs; NaN propagates), per_value, pairs (the context pairs in order), per_value_pairs (value → Spearman r per pair), pairwise (context → context → mean over values, diagonal 1).",
                  "properties": {
                    "overall": {
                      "type": [
                        "number",
                        "null"
                      ]
                    },
                    "per_value": {
                      "type": "object",
                      "additionalProperties": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    },
                    "pairs": {
                      "type": "array",
                      "items": {
                        "type": "array",
                        "items": {
                          "type": "string"
                        },
                        "minItems": 2,
                        "maxItems": 2
                      }
                    },
                    "per_value_pairs": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "array",
                        "items": {
                          "type": [
                            "number",
                            "null"
                          ]
                        }
                      }
                    },
                    "pairwise": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {
                          "type": [
                            "number",
                            "null"
                          ]
                        }
                      }
                    }
                  },
                  "required": [
                    "overall",
                    "per_value",
                    "pairs",
                    "per_value_pairs",
                    "pairwise"
                  ]
                },
                "ipsative": {
                  "type": "object",
                  "properties": {
                    "overall": {
                      "type": [
                        "number",
                        "null"
                      ]
                    },
                    "pair_means": {
                      "type": "array",
                      "items": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    }
                  }
                },
                "stress": {
                  "type": "object",
                  "description": "Stress per context of the reported variant (per_context, mean), each computed variant in full (legacy, v17: per_context, mean, n_iter) and value_positions (context → value → [x, y], the centroid of the value's items in the final 2-D configuration).",
                  "properties": {
                    "variant": {
                      "enum": [
                        "legacy",
                        "v17"
                      ]
                    },
                    "per_context": {
                      "type": "object",
                      "additionalProperties": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    },
                    "mean": {
                      "type": [
                        "number",
                        "null"
                      ]
                    }
                  },
                  "required": [
                    "variant",
                    "per_context",
                    "mean"
                  ]
                },
                "cfa": {
                  "type": "object",
                  "description": "Per context and sub-model: status (ok, error, factor_correlation_ge_1), full-precision chisq/df/baseline/cfi/tli/srmr/rmsea, npar, factor_correlations, converged and the stored values (4 decimals as jsonlite rounds, or the failure values CFI 0, TLI 0, SRMR 1, RMSEA 1); means of the stored values per context and overall.",
                  "properties": {
                    "rounding": {
                      "enum": [
                        "reference",
                        "none"
                      ]
                    },
                    "submodels": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "per_context": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {
                          "type": "object",
                          "properties": {
                            "status": {
                              "enum": [
                                "ok",
                                "error",
                                "factor_correlation_ge_1"
                              ]
                            },
                            "stored": {
                              "type": "object",
                              "properties": {
                                "cfi": {
                                  "type": [
                                    "number",
                                    "null"
                                  ]
                                },
                                "tli": {
                                  "type": [
                                    "number",
                                    "null"
                                  ]
                                },
                                "srmr": {
                                  "type": [
                                    "number",
                                    "null"
                                  ]
                                },
                                "rmsea": {
                                  "type": [
                                    "number",
                                    "null"
                                  ]
                                }
                              },
                              "required": [
                                "cfi",
                                "tli",
                                "srmr",
                                "rmsea"
                              ]
                            }
                          },
                          "required": [
                            "status",
                            "stored"
                          ]
                        }
                      }
                    },
                    "per_context_mean": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {
                          "type": [
                            "number",
                            "null"
                          ]
                        }
                      }
                    },
                    "overall_mean": {
                      "type": "object",
                      "additionalProperties": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    }
                  },
                  "required": [
                    "rounding",
                    "submodels",
                    "per_context",
                    "per_context_mean",
                    "overall_mean"
                  ]
                },
                "cronbach_alpha": {
                  "type": "object",
                  "properties": {
                    "per_context": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": {
                          "type": [
                            "number",
                            "null"
                          ]
                        }
                      }
                    },
                    "per_context_mean": {
                      "type": "object",
                      "additionalProperties": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    },
                    "per_value_mean": {
                      "type": "object",
                      "additionalProperties": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    },
                    "overall": {
                      "type": [
                        "number",
                        "null"
                      ]
                    }
                  }
                },
                "bootstrap": {
                  "type": "object",
                  "description": "Percentile bootstrap over personas: replicates, seed, level, intervals (statistic → [lower, upper]) and the replicate values (rows = replicates, columns = statistics) that rank uses for rank intervals.",
                  "properties": {
                    "replicates": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "seed": {
                      "type": "integer"
                    },
                    "level": {
                      "type": "number"
                    },
                    "method": {
                      "type": "string"
                    },
                    "intervals": {
                      "type": "object",
                      "additionalProperties": {
                        "type": "array",
                        "items": {
                          "type": [
                            "number",
                            "null"
                          ]
                        },
                        "minItems": 2,
                        "maxItems": 2
                      }
                    },
                    "statistics": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "values": {
                      "type": "array",
                      "items": {
                        "type": "array",
                        "items": {
                          "type": [
                            "number",
                            "null"
                          ]
                        }
                      }
                    }
                  },
                  "required": [
                    "replicates",
                    "seed",
                    "level",
                    "intervals",
                    "statistics",
                    "values"
                  ]
                },
                "parse": {
                  "type": "object",
                  "description": "From the answers artifact: counts per context and parse status."
                },
                "usage": {
                  "type": "object",
                  "description": "From the answers artifact: the model's calls and tokens."
                },
                "warnings": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                }
              },
              "required": [
                "stick",
                "version",
                "model",
                "contexts",
                "value_order",
                "rank_order",
                "stress",
                "cronbach_alpha"
              ],
              "additionalProperties": false
            }

            """#,
        "model.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/model.schema.json",
              "title": "Model config",
              "description": "A model config (YAML or JSON): which backend answers, how prompts are shaped for it (system role, chain of thought, reasoning split) and the generation parameters of conversation turns and answers.",
              "type": "object",
              "properties": {
                "stick": {
                  "const": "model"
                },
                "version": {
                  "const": 1
                },
                "name": {
                  "type": "string",
                  "description": "The name the model is reported under."
                },
                "backend": {
                  "type": "string",
                  "description": "An OpenAI-compatible chat-completions server, the offline dummy, the statistical persona simulator, or replay of recorded responses.",
                  "enum": [
                    "openai",
                    "dummy",
                    "simulator",
                    "replay"
                  ]
                },
                "endpoints": {
                  "description": "Base URLs (ending in /v1); several spread the load. Defaults to $OPENAI_BASE_URL (openai backend).",
                  "type": "array",
                  "items": {
                    "type": "string",
                    "pattern": "^https?://"
                  }
                },
                "model": {
                  "type": "string",
                  "description": "The model id sent in requests."
                },
                "api_key_env": {
                  "type": "string",
                  "description": "The environment variable holding the API key, never the key itself (optional)."
                },
                "system_message": {
                  "description": "Whether the model has a system role; without one the persona goes into a user message.",
                  "type": "boolean"
                },
                "cot": {
                  "description": "Chain-of-thought suffix and parsing (\"Answer: (X)\").",
                  "type": "boolean"
                },
                "reasoning": {
                  "type": "string",
                  "description": "How reasoning is separated from the answer: not at all, `message.reasoning_content` (else split on `</think>`), or split on `</think>`.",
                  "enum": [
                    "none",
                    "reasoning_content",
                    "think_tag"
                  ]
                },
                "conversation": {
                  "$ref": "#/$defs/GenerationParameters"
                },
                "answers": {
                  "$ref": "#/$defs/GenerationParameters"
                },
                "seed": {
                  "type": "integer",
                  "description": "(optional)"
                },
                "timeout_seconds": {
                  "type": "number",
                  "description": "Seconds before a request times out (optional).",
                  "minimum": 0.001
                },
                "retry": {
                  "$ref": "#/$defs/RetryPolicy"
                },
                "concurrency": {
                  "type": "integer",
                  "description": "Requests in flight at once, all endpoints together (optional).",
                  "minimum": 1
                },
                "simulator": {
                  "type": "object",
                  "description": "Settings of the simulator backend (Sources/StickBackends/SimulatorBackend.swift).",
                  "properties": {
                    "stability": {
                      "type": "number",
                      "minimum": 0,
                      "maximum": 1,
                      "description": "Cross-context stability s."
                    },
                    "uniqueness": {
                      "type": "number",
                      "minimum": 0,
                      "description": "Weight of value-specific noise in the latent profile."
                    },
                    "item_noise": {
                      "type": "number",
                      "minimum": 0,
                      "description": "Standard deviation of per-answer noise."
                    }
                  },
                  "required": [
                    "stability",
                    "uniqueness",
                    "item_noise"
                  ],
                  "additionalProperties": false
                },
                "replay": {
                  "type": "array",
                  "description": "Responses artifacts whose recorded answers the replay backend serves, matched by request sha256.",
                  "items": {
                    "type": "string",
                    "minLength": 1
                  },
                  "minItems": 1
                },
                "endpoint_concurrency": {
                  "type": "integer",
                  "minimum": 1,
                  "description": "Requests in flight per endpoint at most; each request goes to the least-loaded endpoint."
                },
                "rate_limits": {
                  "type": "object",
                  "description": "Requests and (estimated) tokens per minute at most, over all endpoints.",
                  "properties": {
                    "requests_per_minute": {
                      "type": "number",
                      "minimum": 0.001
                    },
                    "tokens_per_minute": {
                      "type": "number",
                      "minimum": 1
                    }
                  },
                  "additionalProperties": false
                }
              },
              "required": [
                "stick",
                "version",
                "name",
                "backend",
                "model",
                "system_message",
                "cot",
                "reasoning",
                "conversation",
                "answers"
              ],
              "additionalProperties": false,
              "$defs": {
                "GenerationParameters": {
                  "description": "Sampling parameters of one request; optional fields are sent only when set.",
                  "type": "object",
                  "properties": {
                    "temperature": {
                      "type": "number",
                      "description": "Sampling temperature.",
                      "minimum": 0
                    },
                    "max_tokens": {
                      "type": "integer",
                      "description": "Most tokens to generate.",
                      "minimum": 1
                    },
                    "n": {
                      "type": "integer",
                      "description": "Completions per request (optional; the reference sends 1 with conversation turns only).",
                      "minimum": 1
                    },
                    "top_p": {
                      "type": "number",
                      "description": "Nucleus sampling mass (optional).",
                      "minimum": 0,
                      "maximum": 1
                    },
                    "seed": {
                      "type": "integer",
                      "description": "Sampling seed sent to the server (optional)."
                    },
                    "stop": {
                      "description": "Stop sequences (optional).",
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "logprobs": {
                      "description": "Ask for token log-probabilities (optional).",
                      "type": "boolean"
                    },
                    "top_logprobs": {
                      "type": "integer",
                      "description": "Alternatives per token with logprobs (optional).",
                      "minimum": 0
                    }
                  },
                  "required": [
                    "temperature",
                    "max_tokens"
                  ],
                  "additionalProperties": false
                },
                "RetryPolicy": {
                  "description": "Retries with exponential backoff and full jitter, honouring Retry-After.",
                  "type": "object",
                  "properties": {
                    "max_attempts": {
                      "type": "integer",
                      "description": "Attempts in all, the first included.",
                      "minimum": 1
                    },
                    "initial_delay": {
                      "type": "number",
                      "description": "Seconds of the first backoff ceiling; it doubles per attempt.",
                      "minimum": 0
                    },
                    "max_delay": {
                      "type": "number",
                      "description": "Seconds the backoff never exceeds.",
                      "minimum": 0
                    }
                  },
                  "required": [
                    "max_attempts",
                    "initial_delay",
                    "max_delay"
                  ],
                  "additionalProperties": false
                }
              }
            }

            """#,
        "openers.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/openers.schema.json",
              "title": "Opener record",
              "description": "One record of an opener set (openers/<id>.jsonl in a dataset directory, after the header line): a conversation's first message.",
              "type": "object",
              "properties": {
                "text": {
                  "type": "string",
                  "description": "The opening message, byte-exact."
                },
                "source": {
                  "type": "string",
                  "description": "Where the opener came from (optional)."
                },
                "n_tokens": {
                  "type": "integer",
                  "description": "Its length in tokens, as the source counted them (optional).",
                  "minimum": 0
                }
              },
              "required": [
                "text"
              ],
              "additionalProperties": false
            }

            """#,
        "responses.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/responses.schema.json",
              "title": "Response record",
              "description": "One record of the responses artifact (after the header line), written by `query`: one LLM call of a session, in (session, step) order. A call that finally failed carries `error` and none of the result fields.",
              "type": "object",
              "properties": {
                "session": {
                  "type": "string",
                  "description": "The session's id, \"<context>/<persona_index>\"."
                },
                "context": {
                  "type": "string",
                  "description": "The design context."
                },
                "persona_index": {
                  "type": "integer",
                  "description": "0-based index of the persona in the population.",
                  "minimum": 0
                },
                "step": {
                  "type": "integer",
                  "description": "0-based position of the call in the session.",
                  "minimum": 0
                },
                "kind": {
                  "type": "string",
                  "description": "A conversation turn, an answer to a questionnaire item, or an SVS choice of the most or least important value.",
                  "enum": [
                    "conversation",
                    "answer",
                    "choice"
                  ]
                },
                "item": {
                  "type": "integer",
                  "description": "The 0-based questionnaire item answered (answers only).",
                  "minimum": 0
                },
                "request": {
                  "$ref": "#/$defs/ChatRequest"
                },
                "request_sha256": {
                  "type": "string",
                  "pattern": "^[0-9a-f]{64}$",
                  "description": "SHA-256 of the request body, 64 lowercase hex digits; present even when `request` is omitted (--no-requests)."
                },
                "content": {
                  "type": "string",
                  "description": "The generated message content (absent on error or when the server sent none)."
                },
                "reasoning": {
                  "type": "string",
                  "description": "The reasoning split from the answer (optional)."
                },
                "finish_reason": {
                  "type": "string",
                  "description": "Why generation stopped, as the server reported it (optional)."
                },
                "usage": {
                  "$ref": "#/$defs/TokenUsage"
                },
                "top_logprobs": {
                  "description": "When the config asks for logprobs and the server returns them: per generated token, the most likely alternatives (token, logprob), as the server listed them. `parse --strategy logprobs` reads the answer letter from them.",
                  "type": "array",
                  "items": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "token": {
                          "type": "string"
                        },
                        "logprob": {
                          "type": "number"
                        }
                      },
                      "required": [
                        "token",
                        "logprob"
                      ],
                      "additionalProperties": false
                    }
                  }
                },
                "latency_ms": {
                  "type": "number",
                  "description": "Wall-clock milliseconds of the call, all attempts included.",
                  "minimum": 0
                },
                "attempts": {
                  "type": "integer",
                  "description": "Attempts made, retries included.",
                  "minimum": 1
                },
                "error": {
                  "type": "string",
                  "description": "Why the call finally failed (only then)."
                },
                "letter": {
                  "type": "string",
                  "description": "SVS steps: the letter that entered the history.",
                  "minLength": 1,
                  "maxLength": 1
                },
                "fallback": {
                  "description": "SVS steps: true when the letter was a random fallback because no \"(L)\" was found.",
                  "type": "boolean"
                }
              },
              "required": [
                "session",
                "context",
                "persona_index",
                "step",
                "kind",
                "request_sha256",
                "latency_ms",
                "attempts"
              ],
              "additionalProperties": false,
              "$defs": {
                "ChatRequest": {
                  "description": "The chat-completion request as sent (minus transport details).",
                  "type": "object",
                  "properties": {
                    "model": {
                      "type": "string",
                      "description": "The model id sent."
                    },
                    "messages": {
                      "description": "The conversation sent, in order.",
                      "type": "array",
                      "items": {
                        "$ref": "#/$defs/ChatMessage"
                      },
                      "minItems": 1
                    },
                    "parameters": {
                      "$ref": "#/$defs/GenerationParameters"
                    }
                  },
                  "required": [
                    "model",
                    "messages",
                    "parameters"
                  ],
                  "additionalProperties": false
                },
                "ChatMessage": {
                  "description": "One chat message.",
                  "type": "object",
                  "properties": {
                    "role": {
                      "type": "string",
                      "description": "\"system\", \"user\" or \"assistant\"."
                    },
                    "content": {
                      "type": "string",
                      "description": "The message text."
                    }
                  },
                  "required": [
                    "role",
                    "content"
                  ],
                  "additionalProperties": false
                },
                "GenerationParameters": {
                  "description": "Sampling parameters of one request; optional fields are sent only when set.",
                  "type": "object",
                  "properties": {
                    "temperature": {
                      "type": "number",
                      "description": "Sampling temperature.",
                      "minimum": 0
                    },
                    "max_tokens": {
                      "type": "integer",
                      "description": "Most tokens to generate.",
                      "minimum": 1
                    },
                    "n": {
                      "type": "integer",
                      "description": "Completions per request (optional; the reference sends 1 with conversation turns only).",
                      "minimum": 1
                    },
                    "top_p": {
                      "type": "number",
                      "description": "Nucleus sampling mass (optional).",
                      "minimum": 0,
                      "maximum": 1
                    },
                    "seed": {
                      "type": "integer",
                      "description": "Sampling seed sent to the server (optional)."
                    },
                    "stop": {
                      "description": "Stop sequences (optional).",
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "logprobs": {
                      "description": "Ask for token log-probabilities (optional).",
                      "type": "boolean"
                    },
                    "top_logprobs": {
                      "type": "integer",
                      "description": "Alternatives per token with logprobs (optional).",
                      "minimum": 0
                    }
                  },
                  "required": [
                    "temperature",
                    "max_tokens"
                  ],
                  "additionalProperties": false
                },
                "TokenUsage": {
                  "description": "Tokens the server counted.",
                  "type": "object",
                  "properties": {
                    "prompt_tokens": {
                      "type": "integer",
                      "description": "Tokens of the prompt.",
                      "minimum": 0
                    },
                    "completion_tokens": {
                      "type": "integer",
                      "description": "Tokens generated.",
                      "minimum": 0
                    }
                  },
                  "required": [
                    "prompt_tokens",
                    "completion_tokens"
                  ],
                  "additionalProperties": false
                }
              }
            }

            """#,
        "sessions.schema.json": #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://stick-toolkit.invalid/schemas/sessions.schema.json",
              "title": "Session record",
              "description": "One record of the sessions artifact (after the header line): one (context, persona) pair with everything needed to query a model, nothing model-specific.",
              "type": "object",
              "properties": {
                "id": {
                  "type": "string",
                  "description": "\"<context>/<persona_index>\"."
                },
                "context": {
                  "type": "string",
                  "description": "The design context."
                },
                "persona_index": {
                  "type": "integer",
                  "description": "0-based index of the persona in the population.",
                  "minimum": 0
                },
                "persona": {
                  "$ref": "#/$defs/Persona"
                },
                "persona_prompt": {
                  "type": "string",
                  "description": "\"You are \" + the persona's description."
                },
                "instrument": {
                  "type": "string",
                  "description": "The instrument id."
                },
                "procedure": {
                  "$ref": "#/$defs/Procedure"
                },
                "instructions": {
                  "type": "string",
                  "description": "The questionnaire description put before an item."
                },
                "permutation_seed": {
                  "type": "string",
                  "description": "Seeds the option permutations of the context."
                },
                "conversation": {
                  "$ref": "#/$defs/Conversation"
                },
                "items": {
                  "description": "The questionnaire items, in order.",
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/Item"
                  },
                  "minItems": 1
                },
                "values": {
                  "description": "The value key (1-based item numbers) that scores this session.",
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/ValueKey"
                  }
                },
                "svs": {
                  "$ref": "#/$defs/SVSProcedureSpec"
                },
                "calls": {
                  "type": "integer",
                  "description": "LLM calls the session takes: conversation turns + one per item (+ two per SVS group).",
                  "minimum": 1
                }
              },
              "required": [
                "id",
                "context",
                "persona_index",
                "persona",
                "persona_prompt",
                "instrument",
                "procedure",
                "instructions",
                "permutation_seed",
                "items",
                "values",
                "calls"
              ],
              "additionalProperties": false,
              "$defs": {
                "Persona": {
                  "description": "A simulated person.",
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string",
                      "description": "The persona's name."
                    },
                    "description": {
                      "type": "string",
                      "description": "Who the persona is; the persona prompt is \"You are \" + description."
                    },
                    "gender": {
                      "type": "string",
                      "description": "Selects the instrument's item variant (\"*\" serves every gender without its own variant)."
                    }
                  },
                  "required": [
                    "name",
                    "description",
                    "gender"
                  ],
                  "additionalProperties": false
                },
                "Procedure": {
                  "description": "How the items are asked: each alone (PVQ) or the Schwartz Value Survey procedure.",
                  "type": "string",
                  "enum": [
                    "independent",
                    "svs"
                  ]
                },
                "Item": {
                  "description": "One questionnaire item as shown.",
                  "type": "object",
                  "properties": {
                    "index": {
                      "type": "integer",
                      "description": "0-based item number in the questionnaire.",
                      "minimum": 0
                    },
                    "text": {
                      "type": "string",
                      "description": "The item text."
                    },
                    "letters": {
                      "description": "The letters shown, in order (\"A\"…).",
                      "type": "array",
                      "items": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1
                      },
                      "minItems": 1
                    },
                    "permutation": {
                      "description": "For each letter, the original option index it shows.",
                      "type": "array",
                      "items": {
                        "type": "integer",
                        "minimum": 0
                      },
                      "minItems": 1
                    },
                    "options": {
                      "description": "The option texts in shown order.",
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "minItems": 1
                    },
                    "scores": {
                      "description": "The score each letter earns.",
                      "type": "array",
                      "items": {
                        "type": "integer"
                      },
                      "minItems": 1
                    },
                    "prompt": {
                      "type": "string",
                      "description": "The item text followed by \"\\n(L) option\" per letter."
                    }
                  },
                  "required": [
                    "index",
                    "text",
                    "letters",
                    "permutation",
                    "options",
                    "scores",
                    "prompt"
                  ],
                  "additionalProperties": false
                },
                "Conversation": {
                  "description": "The conversation held before the questionnaire.",
                  "type": "object",
                  "properties": {
                    "turns": {
                      "type": "integer",
                      "description": "Simulated messages before the questionnaire.",
                      "minimum": 1
                    },
                    "opening": {
                      "type": "string",
                      "description": "The first message of the conversation."
                    },
                    "opener_set": {
                      "type": "string",
                      "description": "The opener set the opening came from (optional)."
                    },
                    "opener_index": {
                      "type": "integer",
                      "description": "The 0-based line of that opener set (optional).",
                      "minimum": 0
                    },
                    "interlocutor": {
                      "$ref": "#/$defs/Interlocutor"
                    }
                  },
                  "required": [
                    "turns",
                    "opening",
                    "interlocutor"
                  ],
                  "additionalProperties": false
                },
                "Interlocutor": {
                  "description": "Who the persona talks with.",
                  "type": "object",
                  "properties": {
                    "kind": {
                      "type": "string",
                      "description": "A generic human or a persona of an interlocutor set.",
                      "enum": [
                        "human",
                        "persona"
                      ]
                    },
                    "persona": {
                      "$ref": "#/$defs/Persona"
                    },
                    "set": {
                      "type": "string",
                      "description": "The interlocutor set the persona came from (optional)."
                    },
                    "index": {
                      "type": "integer",
                      "description": "The entry of that set (optional).",
                      "minimum": 0
                    },
                    "prompt": {
                      "type": "string",
                      "description": "The interlocutor's system prompt."
                    }
                  },
                  "required": [
                    "kind",
                    "prompt"
                  ],
                  "additionalProperties": false
                },
                "ValueKey": {
                  "description": "A value and the 1-based item numbers whose mean scores it.",
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string",
                      "description": "The value's name."
                    },
                    "items": {
                      "description": "1-based item numbers whose mean scores the value.",
                      "type": "array",
                      "items": {
                        "type": "integer",
                        "minimum": 1
                      }
                    }
                  },
                  "required": [
                    "name",
                    "items"
                  ],
                  "additionalProperties": false
                },
                "SVSProcedureSpec": {
                  "description": "The texts of the Schwartz Value Survey procedure.",
                  "type": "object",
                  "properties": {
                    "groups": {
                      "type": "array",
                      "items": {
                        "$ref": "#/$defs/SVSGroup"
                      },
                      "minItems": 1
                    },
                    "rest_instruction": {
                      "type": "string",
                      "description": "Put before the first remaining item of each group."
                    },
                    "chosen_prefix": {
                      "type": "string",
                      "description": "Put before the chosen value in the rating step."
                    },
                    "chosen_suffix": {
                      "type": "string",
                      "description": "Put after the chosen value in the rating step."
                    }
                  },
                  "required": [
                    "groups",
                    "rest_instruction",
                    "chosen_prefix",
                    "chosen_suffix"
                  ],
                  "additionalProperties": false
                },
                "SVSGroup": {
                  "description": "One list of values of the Schwartz Value Survey.",
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string",
                      "description": "The group's name."
                    },
                    "items": {
                      "description": "1-based item numbers, in the order they are shown.",
                      "type": "array",
                      "items": {
                        "type": "integer",
                        "minimum": 1
                      },
                      "minItems": 1
                    },
                    "description": {
                      "type": "string",
                      "description": "Appended to the instrument instructions in the first query of the group."
                    },
                    "prefix_most": {
                      "type": "string",
                      "description": "Asks for the value that matters most."
                    },
                    "prefix_least": {
                      "type": "string",
                      "description": "Asks for the value that matters least."
                    }
                  },
                  "required": [
                    "name",
                    "items",
                    "description",
                    "prefix_most",
                    "prefix_least"
                  ],
                  "additionalProperties": false
                }
              }
            }

            """#,
    ]
}
