// Synthetic demo data written for this toolkit (not derived from any published questionnaire or person list).
// It mirrors the *shape* of the Stick to Your Role! benchmark so the whole pipeline runs offline.
import StickArtifacts
enum DemoDatasetContent {
    static let manifestJSON = #"""
    {
      "stick": "dataset",
      "version": 1,
      "name": "stick-demo",
      "synthetic": true,
      "description": "Synthetic demo data for running the toolkit offline; it is not a psychometric instrument and any results computed from it mean nothing.",
      "source": "written for the stick toolkit",
      "license": "MIT",
      "attribution": [],
      "default_design": "demo",
      "instruments": [
        {
          "id": "demo-pvq30",
          "name": "Demo portrait values questionnaire (synthetic, 30 items)",
          "procedure": "independent",
          "instructions": "On the following pages you will find short descriptions of different people. Read each description and think about how much the person described is like you or unlike you. Then pick the option that best shows how similar that person is to you.",
          "option_scores": [
            1,
            2,
            3,
            4,
            5,
            6
          ],
          "values": [
            {
              "name": "Conformity",
              "items": [
                1,
                11,
                21
              ]
            },
            {
              "name": "Tradition",
              "items": [
                2,
                12,
                22
              ]
            },
            {
              "name": "Benevolence",
              "items": [
                3,
                13,
                23
              ]
            },
            {
              "name": "Universalism",
              "items": [
                4,
                14,
                24
              ]
            },
            {
              "name": "Self-Direction",
              "items": [
                5,
                15,
                25
              ]
            },
            {
              "name": "Stimulation",
              "items": [
                6,
                16,
                26
              ]
            },
            {
              "name": "Hedonism",
              "items": [
                7,
                17,
                27
              ]
            },
            {
              "name": "Achievement",
              "items": [
                8,
                18,
                28
              ]
            },
            {
              "name": "Power",
              "items": [
                9,
                19,
                29
              ]
            },
            {
              "name": "Security",
              "items": [
                10,
                20,
                30
              ]
            }
          ],
          "variants": {
            "*": [
              {
                "text": "They believe people should do what they are told, even when nobody is checking. Breaking a rule feels wrong to them.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They want to keep alive the customs they grew up with. Holidays are celebrated exactly the way their family always did.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Helping the people close to them matters a great deal. They will drop everything when a friend needs a hand.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They think every person in the world deserves the same chances in life, wherever they happen to be born.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Coming up with their own ideas and working things out in their own way is important to them.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They are always on the lookout for new experiences and quickly get bored with routine.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Having a good time is very important to them. They never pass up a chance to enjoy themselves.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Being very successful matters to them, and they like it when others notice what they have accomplished.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They want to be rich and to own expensive things.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Living in safe surroundings is important to them, and they avoid anything that could put them in danger.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They take care never to say or do anything that might upset or embarrass the people around them.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They try not to draw attention to themselves and are content with what they already have.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They want to be someone their family and friends can always rely on.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Protecting forests, rivers and animals is something they care about deeply. They try to live in a way that harms nature as little as possible.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They like to decide for themselves what to do and dislike having to depend on others.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They enjoy taking risks and go looking for adventures that make their heart race.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They like to treat themselves to things that feel good, such as a fine meal or a long lazy afternoon.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They work hard to be the best at what they do and set ambitious goals for themselves.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Being in charge and telling others what to do is important to them.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They want the country to be strong enough to protect its citizens from every kind of threat.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Behaving properly and politely matters a lot to them, especially in front of older people.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Their religious or spiritual beliefs shape many of their everyday choices.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They find it important to forgive people who have hurt them and would rather be kind than hold a grudge.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They make an effort to understand people whose opinions differ from their own, even when they disagree with them.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They are curious and enjoy figuring out how all kinds of things work.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They want a life full of variety and surprises, so they try something different whenever they can.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "For them, life is there to be enjoyed, and they look for fun in whatever they do.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Showing how capable they are is important to them; they want to get ahead in life.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "They want people to respect their position and to do what they say.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              },
              {
                "text": "Order and stability matter to them; they like knowing that life will stay predictable and that their family is secure.",
                "options": [
                  "Not at all like me",
                  "Hardly like me",
                  "Slightly like me",
                  "Fairly like me",
                  "Much like me",
                  "Exactly like me"
                ]
              }
            ]
          },
          "svs": null
        },
        {
          "id": "demo-svs22",
          "name": "Demo value survey (synthetic, 22 values in two lists)",
          "procedure": "svs",
          "instructions": "In this survey you will be asked how important various values are to you as guiding principles in your life. Rate each value on the following scale: -1 means the value goes against the principles that guide you, 0 means it is not important to you, 3 means it is important, 6 means it is very important, and 7 means it is of supreme importance (most people give this rating to very few values, if any). The numbers in between stand for the degrees in between. Try to tell the values apart as clearly as you can, and make use of all the numbers.",
          "option_scores": [
            -1,
            0,
            1,
            2,
            3,
            4,
            5,
            6,
            7
          ],
          "values": [
            {
              "name": "Conformity",
              "items": [
                3,
                15
              ]
            },
            {
              "name": "Tradition",
              "items": [
                7,
                20
              ]
            },
            {
              "name": "Benevolence",
              "items": [
                5,
                13
              ]
            },
            {
              "name": "Universalism",
              "items": [
                9,
                16
              ]
            },
            {
              "name": "Self-Direction",
              "items": [
                6,
                17
              ]
            },
            {
              "name": "Stimulation",
              "items": [
                2,
                14
              ]
            },
            {
              "name": "Hedonism",
              "items": [
                8,
                19
              ]
            },
            {
              "name": "Achievement",
              "items": [
                10,
                21
              ]
            },
            {
              "name": "Power",
              "items": [
                4,
                12
              ]
            },
            {
              "name": "Security",
              "items": [
                1,
                18
              ]
            }
          ],
          "variants": {
            "*": [
              {
                "text": "SOCIAL ORDER (a society that is stable and well organised)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "EXCITING LIFE (thrilling and stirring experiences)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "POLITENESS (good manners and courtesy)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "WEALTH (money and material possessions)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "LOYALTY (standing by your friends and family)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "FREEDOM (freedom of thought and of action)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "RESPECT FOR CUSTOM (keeping up long-held traditions)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "PLEASURE (satisfying your own desires)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "EQUALITY (the same opportunities for everyone)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "SUCCESS (reaching the goals you set)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "GOOD HEALTH (being well in body and mind)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "AUTHORITY (the right to lead or give orders)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "HELPFULNESS (working for the good of those around you)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "DARING (seeking out adventure and risk)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "SELF-DISCIPLINE (restraint, resisting temptation)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "PROTECTING NATURE (caring for the environment)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "CREATIVITY (originality and imagination)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "FAMILY SAFETY (keeping your loved ones secure)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "ENJOYING LIFE (good food, leisure and fun)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "MODESTY (being humble and not showing off)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "AMBITION (working hard and aiming high)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              },
              {
                "text": "INNER CALM (being at peace with yourself)",
                "options": [
                  "-1 - opposed to my values",
                  "0 - not important",
                  "1",
                  "2",
                  "3 - important",
                  "4",
                  "5",
                  "6 - very important",
                  "7 - of supreme importance"
                ]
              }
            ]
          },
          "svs": {
            "groups": [
              {
                "name": "List A",
                "items": [
                  1,
                  2,
                  3,
                  4,
                  5,
                  6,
                  7,
                  8,
                  9,
                  10,
                  11
                ],
                "description": "VALUES LIST A\n",
                "prefix_most": "First read through every value in List A. Then reply with the letter of the value that matters most to you and give it a rating.",
                "prefix_least": "Next, reply with the letter of the value that goes most against your values or, if none does, the one that matters least to you, and rate it -1, 0 or 1."
              },
              {
                "name": "List B",
                "items": [
                  12,
                  13,
                  14,
                  15,
                  16,
                  17,
                  18,
                  19,
                  20,
                  21,
                  22
                ],
                "description": "VALUES LIST B\n\nThis second list works in exactly the same way as the first one.\n",
                "prefix_most": "First read through every value in List B. Then reply with the letter of the value that matters most to you and give it a rating.",
                "prefix_least": "Next, reply with the letter of the value in List B that goes most against your values or, if none does, the one that matters least to you, and rate it -1, 0 or 1."
              }
            ],
            "rest_instruction": "Now rate the remaining values.",
            "chosen_prefix": "You picked ",
            "chosen_suffix": ", now rate how important it is."
          }
        }
      ],
      "populations": [
        {
          "id": "demo_people",
          "personas": [
            {
              "name": "Maren Solvik",
              "description": "Maren Solvik (born 1948) Norwegian lighthouse keeper who prefers solitude to company.",
              "gender": "F"
            },
            {
              "name": "Tomasz Wierzbanek",
              "description": "Tomasz Wierzbanek (born 1972) Polish long-haul truck driver and devout churchgoer.",
              "gender": "M"
            },
            {
              "name": "Adaeze Okonkwo-Bell",
              "description": "Adaeze Okonkwo-Bell (born 1990) Nigerian-British venture capitalist who hates to lose.",
              "gender": "F"
            },
            {
              "name": "Rafael Quintero Lusa",
              "description": "Rafael Quintero Lusa (born 1935) Chilean fisherman and lifelong trade unionist.",
              "gender": "M"
            },
            {
              "name": "Hana Takeshiro",
              "description": "Hana Takeshiro (born 1983) Japanese pastry chef obsessed with perfection.",
              "gender": "F"
            },
            {
              "name": "Dmitri Avelin",
              "description": "Dmitri Avelin (born 1956) Russian chess coach with a strict temper.",
              "gender": "M"
            },
            {
              "name": "Lucia Barrantes",
              "description": "Lucia Barrantes (born 1999) Costa Rican surf instructor who lives for the next big wave.",
              "gender": "F"
            },
            {
              "name": "Henrik Dahlqvist",
              "description": "Henrik Dahlqvist (born 1941) Swedish retired army colonel who values order above all.",
              "gender": "M"
            },
            {
              "name": "Priya Raghunathan",
              "description": "Priya Raghunathan (born 1968) Indian paediatric nurse known for her endless patience.",
              "gender": "F"
            },
            {
              "name": "Kwame Asante-Ofori",
              "description": "Kwame Asante-Ofori (born 1979) Ghanaian software founder with grand ambitions.",
              "gender": "M"
            },
            {
              "name": "Greta Hollenbeck",
              "description": "Greta Hollenbeck (born 1925) German farmer's widow who never missed a Sunday service.",
              "gender": "F"
            },
            {
              "name": "Jonah Whitcombe",
              "description": "Jonah Whitcombe (born 1994) American street artist who distrusts every kind of authority.",
              "gender": "M"
            },
            {
              "name": "Fatima Zahra Idrissi",
              "description": "Fatima Zahra Idrissi (born 1961) Moroccan schoolteacher devoted to her large family.",
              "gender": "F"
            },
            {
              "name": "Luca Ferrandi",
              "description": "Luca Ferrandi (born 1987) Italian sommelier who lives for good food and wine.",
              "gender": "M"
            },
            {
              "name": "Siobhan Carraway",
              "description": "Siobhan Carraway (born 1958) Irish environmental campaigner who once chained herself to an oak tree.",
              "gender": "F"
            },
            {
              "name": "Mateo Ribeira",
              "description": "Mateo Ribeira (born 1915) Portuguese village priest and keeper of the local festivals.",
              "gender": "M"
            },
            {
              "name": "Yelena Markovic",
              "description": "Yelena Markovic (born 1976) Serbian corporate lawyer who enjoys being in control.",
              "gender": "F"
            },
            {
              "name": "Arjun Mehtani",
              "description": "Arjun Mehtani (born 2001) Indian backpacker and amateur mountaineer.",
              "gender": "M"
            },
            {
              "name": "Ingrid Vasterlund",
              "description": "Ingrid Vasterlund (born 1933) Finnish librarian who treasures quiet and routine.",
              "gender": "F"
            },
            {
              "name": "Bastien Lacroix-Morel",
              "description": "Bastien Lacroix-Morel (born 1965) French restaurant owner and notorious party host.",
              "gender": "M"
            },
            {
              "name": "Ama Serwaa Mensah",
              "description": "Ama Serwaa Mensah (born 1985) Ghanaian market trader saving up to open her own shop.",
              "gender": "F"
            },
            {
              "name": "Owen Prydderch",
              "description": "Owen Prydderch (born 1950) Welsh coal miner turned chapel choir conductor.",
              "gender": "M"
            },
            {
              "name": "Noor Haddadin",
              "description": "Noor Haddadin (born 1992) Jordanian civil engineer who questions everything she is told.",
              "gender": "F"
            },
            {
              "name": "Harish Doraiswamy",
              "description": "Harish Doraiswamy (born 1944) Indian textile magnate with friends in high places.",
              "gender": "M"
            },
            {
              "name": "Camila Ortuzar",
              "description": "Camila Ortuzar (born 1971) Argentine tango dancer with a restless spirit.",
              "gender": "F"
            },
            {
              "name": "Pieter van Aalsum",
              "description": "Pieter van Aalsum (born 1938) Dutch flood-barrier inspector who follows every regulation to the letter.",
              "gender": "M"
            },
            {
              "name": "Mei-Lin Chao",
              "description": "Mei-Lin Chao (born 1997) Taiwanese competitive gamer chasing a world title.",
              "gender": "F"
            },
            {
              "name": "Samuel Adeyemi-Cole",
              "description": "Samuel Adeyemi-Cole (born 1960) Sierra Leonean pastor and patient community mediator.",
              "gender": "M"
            },
            {
              "name": "Rosalind Pettigrew",
              "description": "Rosalind Pettigrew (born 1929) English boarding-school headmistress with firm rules.",
              "gender": "F"
            },
            {
              "name": "Eitan Belkowitz",
              "description": "Eitan Belkowitz (born 1982) Israeli freelance programmer who refuses to work for a boss.",
              "gender": "M"
            },
            {
              "name": "Oksana Hrytsenko",
              "description": "Oksana Hrytsenko (born 1964) Ukrainian beekeeper and head of her village council.",
              "gender": "F"
            },
            {
              "name": "Juan Pablo Echeverry",
              "description": "Juan Pablo Echeverry (born 1990) Colombian volunteer doctor in remote mountain clinics.",
              "gender": "M"
            },
            {
              "name": "Astrid Kjellberg",
              "description": "Astrid Kjellberg (born 1953) Danish sculptor who will not let galleries tell her what to make.",
              "gender": "F"
            },
            {
              "name": "Marcus Thornbury",
              "description": "Marcus Thornbury (born 1975) Australian property developer who collects luxury cars.",
              "gender": "M"
            },
            {
              "name": "Beatriz Nogueira",
              "description": "Beatriz Nogueira (born 1940) Brazilian seamstress who raised nine children.",
              "gender": "F"
            },
            {
              "name": "Kenji Oyamada",
              "description": "Kenji Oyamada (born 1958) Japanese office worker loyal to one company for forty years.",
              "gender": "M"
            },
            {
              "name": "Zanele Mthembu",
              "description": "Zanele Mthembu (born 1986) South African human rights lawyer.",
              "gender": "F"
            },
            {
              "name": "Florin Aldescu",
              "description": "Florin Aldescu (born 1969) Romanian nightclub promoter who rarely gets up before noon.",
              "gender": "M"
            },
            {
              "name": "Gwendolyn Ashby",
              "description": "Gwendolyn Ashby (born 1919) American wartime code clerk who kept secrets all her life.",
              "gender": "F"
            },
            {
              "name": "Tariq Al-Masri",
              "description": "Tariq Al-Masri (born 1977) Egyptian tour guide who dreams of sailing around the world.",
              "gender": "M"
            },
            {
              "name": "Elif Karaduman",
              "description": "Elif Karaduman (born 1995) Turkish medical student determined to top her class.",
              "gender": "F"
            },
            {
              "name": "Aleksander Nowicki",
              "description": "Aleksander Nowicki (born 1947) Polish watchmaker who trusts only his own methods.",
              "gender": "M"
            },
            {
              "name": "Leilani Kahale",
              "description": "Leilani Kahale (born 1980) Hawaiian hula teacher preserving her grandmother's chants.",
              "gender": "F"
            },
            {
              "name": "Benedikt Strauch",
              "description": "Benedikt Strauch (born 1963) Austrian bank director who enjoys wielding influence.",
              "gender": "M"
            },
            {
              "name": "Paloma Etxeberria",
              "description": "Paloma Etxeberria (born 1974) Basque mountain rescue volunteer.",
              "gender": "F"
            },
            {
              "name": "Chidi Nwachukwu",
              "description": "Chidi Nwachukwu (born 1998) Nigerian stand-up comedian who lives for applause.",
              "gender": "M"
            },
            {
              "name": "Svetlana Orlik",
              "description": "Svetlana Orlik (born 1936) Russian factory inspector who trusts rules more than people.",
              "gender": "F"
            },
            {
              "name": "Declan Moorcroft",
              "description": "Declan Moorcroft (born 1984) Scottish whisky distiller who enjoys the good life.",
              "gender": "M"
            },
            {
              "name": "Anjali Verkade",
              "description": "Anjali Verkade (born 2003) Dutch-Indian climate activist who left university to organise protests.",
              "gender": "F"
            },
            {
              "name": "Gustavo Iriarte",
              "description": "Gustavo Iriarte (born 1952) Uruguayan cattle rancher and proud family patriarch.",
              "gender": "M"
            }
          ]
        }
      ],
      "interlocutor_sets": [
        {
          "id": "demo_people/chunk_0",
          "population": "demo_people",
          "personas": [
            {
              "name": "Henrik Dahlqvist",
              "description": "Henrik Dahlqvist (born 1941) Swedish retired army colonel who values order above all.",
              "gender": "M"
            },
            {
              "name": "Priya Raghunathan",
              "description": "Priya Raghunathan (born 1968) Indian paediatric nurse known for her endless patience.",
              "gender": "F"
            },
            {
              "name": "Kwame Asante-Ofori",
              "description": "Kwame Asante-Ofori (born 1979) Ghanaian software founder with grand ambitions.",
              "gender": "M"
            },
            {
              "name": "Greta Hollenbeck",
              "description": "Greta Hollenbeck (born 1925) German farmer's widow who never missed a Sunday service.",
              "gender": "F"
            },
            {
              "name": "Jonah Whitcombe",
              "description": "Jonah Whitcombe (born 1994) American street artist who distrusts every kind of authority.",
              "gender": "M"
            },
            {
              "name": "Fatima Zahra Idrissi",
              "description": "Fatima Zahra Idrissi (born 1961) Moroccan schoolteacher devoted to her large family.",
              "gender": "F"
            },
            {
              "name": "Luca Ferrandi",
              "description": "Luca Ferrandi (born 1987) Italian sommelier who lives for good food and wine.",
              "gender": "M"
            },
            {
              "name": "Siobhan Carraway",
              "description": "Siobhan Carraway (born 1958) Irish environmental campaigner who once chained herself to an oak tree.",
              "gender": "F"
            },
            {
              "name": "Mateo Ribeira",
              "description": "Mateo Ribeira (born 1915) Portuguese village priest and keeper of the local festivals.",
              "gender": "M"
            },
            {
              "name": "Yelena Markovic",
              "description": "Yelena Markovic (born 1976) Serbian corporate lawyer who enjoys being in control.",
              "gender": "F"
            },
            {
              "name": "Arjun Mehtani",
              "description": "Arjun Mehtani (born 2001) Indian backpacker and amateur mountaineer.",
              "gender": "M"
            },
            {
              "name": "Ingrid Vasterlund",
              "description": "Ingrid Vasterlund (born 1933) Finnish librarian who treasures quiet and routine.",
              "gender": "F"
            },
            {
              "name": "Bastien Lacroix-Morel",
              "description": "Bastien Lacroix-Morel (born 1965) French restaurant owner and notorious party host.",
              "gender": "M"
            },
            {
              "name": "Ama Serwaa Mensah",
              "description": "Ama Serwaa Mensah (born 1985) Ghanaian market trader saving up to open her own shop.",
              "gender": "F"
            },
            {
              "name": "Owen Prydderch",
              "description": "Owen Prydderch (born 1950) Welsh coal miner turned chapel choir conductor.",
              "gender": "M"
            },
            {
              "name": "Noor Haddadin",
              "description": "Noor Haddadin (born 1992) Jordanian civil engineer who questions everything she is told.",
              "gender": "F"
            },
            {
              "name": "Harish Doraiswamy",
              "description": "Harish Doraiswamy (born 1944) Indian textile magnate with friends in high places.",
              "gender": "M"
            },
            {
              "name": "Camila Ortuzar",
              "description": "Camila Ortuzar (born 1971) Argentine tango dancer with a restless spirit.",
              "gender": "F"
            },
            {
              "name": "Pieter van Aalsum",
              "description": "Pieter van Aalsum (born 1938) Dutch flood-barrier inspector who follows every regulation to the letter.",
              "gender": "M"
            },
            {
              "name": "Mei-Lin Chao",
              "description": "Mei-Lin Chao (born 1997) Taiwanese competitive gamer chasing a world title.",
              "gender": "F"
            },
            {
              "name": "Samuel Adeyemi-Cole",
              "description": "Samuel Adeyemi-Cole (born 1960) Sierra Leonean pastor and patient community mediator.",
              "gender": "M"
            },
            {
              "name": "Rosalind Pettigrew",
              "description": "Rosalind Pettigrew (born 1929) English boarding-school headmistress with firm rules.",
              "gender": "F"
            },
            {
              "name": "Eitan Belkowitz",
              "description": "Eitan Belkowitz (born 1982) Israeli freelance programmer who refuses to work for a boss.",
              "gender": "M"
            },
            {
              "name": "Oksana Hrytsenko",
              "description": "Oksana Hrytsenko (born 1964) Ukrainian beekeeper and head of her village council.",
              "gender": "F"
            },
            {
              "name": "Juan Pablo Echeverry",
              "description": "Juan Pablo Echeverry (born 1990) Colombian volunteer doctor in remote mountain clinics.",
              "gender": "M"
            },
            {
              "name": "Astrid Kjellberg",
              "description": "Astrid Kjellberg (born 1953) Danish sculptor who will not let galleries tell her what to make.",
              "gender": "F"
            },
            {
              "name": "Marcus Thornbury",
              "description": "Marcus Thornbury (born 1975) Australian property developer who collects luxury cars.",
              "gender": "M"
            },
            {
              "name": "Beatriz Nogueira",
              "description": "Beatriz Nogueira (born 1940) Brazilian seamstress who raised nine children.",
              "gender": "F"
            },
            {
              "name": "Kenji Oyamada",
              "description": "Kenji Oyamada (born 1958) Japanese office worker loyal to one company for forty years.",
              "gender": "M"
            },
            {
              "name": "Zanele Mthembu",
              "description": "Zanele Mthembu (born 1986) South African human rights lawyer.",
              "gender": "F"
            },
            {
              "name": "Florin Aldescu",
              "description": "Florin Aldescu (born 1969) Romanian nightclub promoter who rarely gets up before noon.",
              "gender": "M"
            },
            {
              "name": "Gwendolyn Ashby",
              "description": "Gwendolyn Ashby (born 1919) American wartime code clerk who kept secrets all her life.",
              "gender": "F"
            },
            {
              "name": "Tariq Al-Masri",
              "description": "Tariq Al-Masri (born 1977) Egyptian tour guide who dreams of sailing around the world.",
              "gender": "M"
            },
            {
              "name": "Elif Karaduman",
              "description": "Elif Karaduman (born 1995) Turkish medical student determined to top her class.",
              "gender": "F"
            },
            {
              "name": "Aleksander Nowicki",
              "description": "Aleksander Nowicki (born 1947) Polish watchmaker who trusts only his own methods.",
              "gender": "M"
            },
            {
              "name": "Leilani Kahale",
              "description": "Leilani Kahale (born 1980) Hawaiian hula teacher preserving her grandmother's chants.",
              "gender": "F"
            },
            {
              "name": "Benedikt Strauch",
              "description": "Benedikt Strauch (born 1963) Austrian bank director who enjoys wielding influence.",
              "gender": "M"
            },
            {
              "name": "Paloma Etxeberria",
              "description": "Paloma Etxeberria (born 1974) Basque mountain rescue volunteer.",
              "gender": "F"
            },
            {
              "name": "Chidi Nwachukwu",
              "description": "Chidi Nwachukwu (born 1998) Nigerian stand-up comedian who lives for applause.",
              "gender": "M"
            },
            {
              "name": "Svetlana Orlik",
              "description": "Svetlana Orlik (born 1936) Russian factory inspector who trusts rules more than people.",
              "gender": "F"
            },
            {
              "name": "Declan Moorcroft",
              "description": "Declan Moorcroft (born 1984) Scottish whisky distiller who enjoys the good life.",
              "gender": "M"
            },
            {
              "name": "Anjali Verkade",
              "description": "Anjali Verkade (born 2003) Dutch-Indian climate activist who left university to organise protests.",
              "gender": "F"
            },
            {
              "name": "Gustavo Iriarte",
              "description": "Gustavo Iriarte (born 1952) Uruguayan cattle rancher and proud family patriarch.",
              "gender": "M"
            },
            {
              "name": "Maren Solvik",
              "description": "Maren Solvik (born 1948) Norwegian lighthouse keeper who prefers solitude to company.",
              "gender": "F"
            },
            {
              "name": "Tomasz Wierzbanek",
              "description": "Tomasz Wierzbanek (born 1972) Polish long-haul truck driver and devout churchgoer.",
              "gender": "M"
            },
            {
              "name": "Adaeze Okonkwo-Bell",
              "description": "Adaeze Okonkwo-Bell (born 1990) Nigerian-British venture capitalist who hates to lose.",
              "gender": "F"
            },
            {
              "name": "Rafael Quintero Lusa",
              "description": "Rafael Quintero Lusa (born 1935) Chilean fisherman and lifelong trade unionist.",
              "gender": "M"
            },
            {
              "name": "Hana Takeshiro",
              "description": "Hana Takeshiro (born 1983) Japanese pastry chef obsessed with perfection.",
              "gender": "F"
            },
            {
              "name": "Dmitri Avelin",
              "description": "Dmitri Avelin (born 1956) Russian chess coach with a strict temper.",
              "gender": "M"
            },
            {
              "name": "Lucia Barrantes",
              "description": "Lucia Barrantes (born 1999) Costa Rican surf instructor who lives for the next big wave.",
              "gender": "F"
            }
          ]
        },
        {
          "id": "demo_people/chunk_1",
          "population": "demo_people",
          "personas": [
            {
              "name": "Bastien Lacroix-Morel",
              "description": "Bastien Lacroix-Morel (born 1965) French restaurant owner and notorious party host.",
              "gender": "M"
            },
            {
              "name": "Ama Serwaa Mensah",
              "description": "Ama Serwaa Mensah (born 1985) Ghanaian market trader saving up to open her own shop.",
              "gender": "F"
            },
            {
              "name": "Owen Prydderch",
              "description": "Owen Prydderch (born 1950) Welsh coal miner turned chapel choir conductor.",
              "gender": "M"
            },
            {
              "name": "Noor Haddadin",
              "description": "Noor Haddadin (born 1992) Jordanian civil engineer who questions everything she is told.",
              "gender": "F"
            },
            {
              "name": "Harish Doraiswamy",
              "description": "Harish Doraiswamy (born 1944) Indian textile magnate with friends in high places.",
              "gender": "M"
            },
            {
              "name": "Camila Ortuzar",
              "description": "Camila Ortuzar (born 1971) Argentine tango dancer with a restless spirit.",
              "gender": "F"
            },
            {
              "name": "Pieter van Aalsum",
              "description": "Pieter van Aalsum (born 1938) Dutch flood-barrier inspector who follows every regulation to the letter.",
              "gender": "M"
            },
            {
              "name": "Mei-Lin Chao",
              "description": "Mei-Lin Chao (born 1997) Taiwanese competitive gamer chasing a world title.",
              "gender": "F"
            },
            {
              "name": "Samuel Adeyemi-Cole",
              "description": "Samuel Adeyemi-Cole (born 1960) Sierra Leonean pastor and patient community mediator.",
              "gender": "M"
            },
            {
              "name": "Rosalind Pettigrew",
              "description": "Rosalind Pettigrew (born 1929) English boarding-school headmistress with firm rules.",
              "gender": "F"
            },
            {
              "name": "Eitan Belkowitz",
              "description": "Eitan Belkowitz (born 1982) Israeli freelance programmer who refuses to work for a boss.",
              "gender": "M"
            },
            {
              "name": "Oksana Hrytsenko",
              "description": "Oksana Hrytsenko (born 1964) Ukrainian beekeeper and head of her village council.",
              "gender": "F"
            },
            {
              "name": "Juan Pablo Echeverry",
              "description": "Juan Pablo Echeverry (born 1990) Colombian volunteer doctor in remote mountain clinics.",
              "gender": "M"
            },
            {
              "name": "Astrid Kjellberg",
              "description": "Astrid Kjellberg (born 1953) Danish sculptor who will not let galleries tell her what to make.",
              "gender": "F"
            },
            {
              "name": "Marcus Thornbury",
              "description": "Marcus Thornbury (born 1975) Australian property developer who collects luxury cars.",
              "gender": "M"
            },
            {
              "name": "Beatriz Nogueira",
              "description": "Beatriz Nogueira (born 1940) Brazilian seamstress who raised nine children.",
              "gender": "F"
            },
            {
              "name": "Kenji Oyamada",
              "description": "Kenji Oyamada (born 1958) Japanese office worker loyal to one company for forty years.",
              "gender": "M"
            },
            {
              "name": "Zanele Mthembu",
              "description": "Zanele Mthembu (born 1986) South African human rights lawyer.",
              "gender": "F"
            },
            {
              "name": "Florin Aldescu",
              "description": "Florin Aldescu (born 1969) Romanian nightclub promoter who rarely gets up before noon.",
              "gender": "M"
            },
            {
              "name": "Gwendolyn Ashby",
              "description": "Gwendolyn Ashby (born 1919) American wartime code clerk who kept secrets all her life.",
              "gender": "F"
            },
            {
              "name": "Tariq Al-Masri",
              "description": "Tariq Al-Masri (born 1977) Egyptian tour guide who dreams of sailing around the world.",
              "gender": "M"
            },
            {
              "name": "Elif Karaduman",
              "description": "Elif Karaduman (born 1995) Turkish medical student determined to top her class.",
              "gender": "F"
            },
            {
              "name": "Aleksander Nowicki",
              "description": "Aleksander Nowicki (born 1947) Polish watchmaker who trusts only his own methods.",
              "gender": "M"
            },
            {
              "name": "Leilani Kahale",
              "description": "Leilani Kahale (born 1980) Hawaiian hula teacher preserving her grandmother's chants.",
              "gender": "F"
            },
            {
              "name": "Benedikt Strauch",
              "description": "Benedikt Strauch (born 1963) Austrian bank director who enjoys wielding influence.",
              "gender": "M"
            },
            {
              "name": "Paloma Etxeberria",
              "description": "Paloma Etxeberria (born 1974) Basque mountain rescue volunteer.",
              "gender": "F"
            },
            {
              "name": "Chidi Nwachukwu",
              "description": "Chidi Nwachukwu (born 1998) Nigerian stand-up comedian who lives for applause.",
              "gender": "M"
            },
            {
              "name": "Svetlana Orlik",
              "description": "Svetlana Orlik (born 1936) Russian factory inspector who trusts rules more than people.",
              "gender": "F"
            },
            {
              "name": "Declan Moorcroft",
              "description": "Declan Moorcroft (born 1984) Scottish whisky distiller who enjoys the good life.",
              "gender": "M"
            },
            {
              "name": "Anjali Verkade",
              "description": "Anjali Verkade (born 2003) Dutch-Indian climate activist who left university to organise protests.",
              "gender": "F"
            },
            {
              "name": "Gustavo Iriarte",
              "description": "Gustavo Iriarte (born 1952) Uruguayan cattle rancher and proud family patriarch.",
              "gender": "M"
            },
            {
              "name": "Maren Solvik",
              "description": "Maren Solvik (born 1948) Norwegian lighthouse keeper who prefers solitude to company.",
              "gender": "F"
            },
            {
              "name": "Tomasz Wierzbanek",
              "description": "Tomasz Wierzbanek (born 1972) Polish long-haul truck driver and devout churchgoer.",
              "gender": "M"
            },
            {
              "name": "Adaeze Okonkwo-Bell",
              "description": "Adaeze Okonkwo-Bell (born 1990) Nigerian-British venture capitalist who hates to lose.",
              "gender": "F"
            },
            {
              "name": "Rafael Quintero Lusa",
              "description": "Rafael Quintero Lusa (born 1935) Chilean fisherman and lifelong trade unionist.",
              "gender": "M"
            },
            {
              "name": "Hana Takeshiro",
              "description": "Hana Takeshiro (born 1983) Japanese pastry chef obsessed with perfection.",
              "gender": "F"
            },
            {
              "name": "Dmitri Avelin",
              "description": "Dmitri Avelin (born 1956) Russian chess coach with a strict temper.",
              "gender": "M"
            },
            {
              "name": "Lucia Barrantes",
              "description": "Lucia Barrantes (born 1999) Costa Rican surf instructor who lives for the next big wave.",
              "gender": "F"
            },
            {
              "name": "Henrik Dahlqvist",
              "description": "Henrik Dahlqvist (born 1941) Swedish retired army colonel who values order above all.",
              "gender": "M"
            },
            {
              "name": "Priya Raghunathan",
              "description": "Priya Raghunathan (born 1968) Indian paediatric nurse known for her endless patience.",
              "gender": "F"
            },
            {
              "name": "Kwame Asante-Ofori",
              "description": "Kwame Asante-Ofori (born 1979) Ghanaian software founder with grand ambitions.",
              "gender": "M"
            },
            {
              "name": "Greta Hollenbeck",
              "description": "Greta Hollenbeck (born 1925) German farmer's widow who never missed a Sunday service.",
              "gender": "F"
            },
            {
              "name": "Jonah Whitcombe",
              "description": "Jonah Whitcombe (born 1994) American street artist who distrusts every kind of authority.",
              "gender": "M"
            },
            {
              "name": "Fatima Zahra Idrissi",
              "description": "Fatima Zahra Idrissi (born 1961) Moroccan schoolteacher devoted to her large family.",
              "gender": "F"
            },
            {
              "name": "Luca Ferrandi",
              "description": "Luca Ferrandi (born 1987) Italian sommelier who lives for good food and wine.",
              "gender": "M"
            },
            {
              "name": "Siobhan Carraway",
              "description": "Siobhan Carraway (born 1958) Irish environmental campaigner who once chained herself to an oak tree.",
              "gender": "F"
            },
            {
              "name": "Mateo Ribeira",
              "description": "Mateo Ribeira (born 1915) Portuguese village priest and keeper of the local festivals.",
              "gender": "M"
            },
            {
              "name": "Yelena Markovic",
              "description": "Yelena Markovic (born 1976) Serbian corporate lawyer who enjoys being in control.",
              "gender": "F"
            },
            {
              "name": "Arjun Mehtani",
              "description": "Arjun Mehtani (born 2001) Indian backpacker and amateur mountaineer.",
              "gender": "M"
            },
            {
              "name": "Ingrid Vasterlund",
              "description": "Ingrid Vasterlund (born 1933) Finnish librarian who treasures quiet and routine.",
              "gender": "F"
            }
          ]
        }
      ],
      "opener_sets": [
        {
          "id": "demo_forum_0",
          "file": "openers/demo_forum_0.jsonl",
          "count": 50,
          "sha256": "",
          "description": "synthetic forum posts, everyday life"
        },
        {
          "id": "demo_forum_1",
          "file": "openers/demo_forum_1.jsonl",
          "count": 50,
          "sha256": "",
          "description": "synthetic forum posts, hobbies and work"
        }
      ]
    }
    """#
    static let openers: [String: String] = [
        "demo_forum_0": #"""
        {"text": "My partner has been offered a job in a city about six hours away from here. I have a good job and most of my friends nearby, but she would earn almost twice as much there. We keep going round in circles whenever we talk about it. How did you decide when you faced something like this?", "source": "board/relocation", "n_tokens": 75}
        {"text": "The dog next door barks from about seven in the morning until the owners come home in the evening. I work from home, so I hear all of it. I left a friendly note two weeks ago and nothing has changed. Should I talk to them in person or go straight to the council?", "source": "board/neighbours", "n_tokens": 71}
        {"text": "One of my roommates has not paid his share of the electricity bill for three months now. Every time I bring it up he says he will transfer it at the weekend. The bill is in my name, so I am the one who gets the reminders. What is the least awkward way to sort this out?", "source": "board/housing", "n_tokens": 75}
        {"text": "My sister has set her wedding date for the same Saturday as my best friend's wedding. Both of them asked me to be in the wedding party months ago, and neither is willing to move. I feel like whichever one I pick, I will hurt someone I love.\n\nHas anyone been in this position? How did you choose?", "source": "board/family", "n_tokens": 76}
        {"text": "Last night I saw my close friend's husband on a dating app, clearly using recent photos. I do not know whether they have some kind of arrangement or whether he is hiding it from her. If I say nothing I feel like a bad friend, but if I am wrong I could wreck everything. What would you do?", "source": "board/relationships", "n_tokens": 76}
        {"text": "My parents are getting older and have asked whether they could move in with us. We have the space, but my husband and my mother have never got along very well. I love them and I do not want them living alone much longer. How do people make this kind of arrangement work?", "source": "board/family", "n_tokens": 69}
        {"text": "I moved out of my flat a month ago and the landlord is still holding on to my whole deposit. He says the carpet needed professional cleaning, but I have photos showing it was spotless. He stopped replying to my emails last week. What are my options before I give up?", "source": "board/housing", "n_tokens": 67}
        {"text": "Our daughter is nine and says she is the only one in her class without a phone. I think she is too young, but I also do not want her left out of every group chat. My partner thinks we should give her a basic phone with strict rules. Where did you draw the line with your kids?", "source": "board/parenting", "n_tokens": 76}
        {"text": "The person who lives above me seems to do jumping workouts at midnight. The whole ceiling shakes and my lampshade rattles. I have knocked on their door twice but nobody answered. Is it unreasonable to ask them to stop after ten?", "source": "board/neighbours", "n_tokens": 54}
        {"text": "Our old car finally died and we need to replace it soon. A new one comes with a warranty but would take most of our savings, while a used one is cheaper but might bring more repair bills. We drive about forty minutes a day, mostly on the motorway. Which would you choose in our place?", "source": "board/money", "n_tokens": 73}
        {"text": "I lent a friend a fairly large sum of money last spring when she lost her job. She has a new job now and has posted photos from two holidays, but she has never mentioned paying me back. I do not want to lose the friendship over money. How do I bring this up without it turning ugly?", "source": "board/friendship", "n_tokens": 76}
        {"text": "Our youngest has just moved out and our house suddenly feels far too big. My wife wants to sell and buy a small flat near the sea, but I am attached to the garden and the memories. Part of me knows she is right about the upkeep. Did anyone here downsize and regret it, or was it a relief?", "source": "board/housing", "n_tokens": 77}
        {"text": "My grandmother left her engagement ring to \"the granddaughter who will wear it\", which is not very specific. My cousin and I both want it, and our mothers have started arguing about it. I am starting to think it would be better to let her have it just to keep the peace. Is that giving in too easily?", "source": "board/family", "n_tokens": 76}
        {"text": "My neighbour's large tree drops leaves into my gutters all autumn, and I have had to clear them three times already this year. The tree is on their land but most of the branches hang over my roof. They are an elderly couple and very sweet. Would it be rude to ask them to help pay for trimming it?", "source": "board/neighbours", "n_tokens": 77}
        {"text": "Every Christmas we spend four days at my in-laws' house, and every year it ends in some kind of argument. This year I would really like to stay home with just our own little family. My husband says his mother would be heartbroken. How do we break this to her gently, or should I just put up with it one more year?", "source": "board/family", "n_tokens": 81}
        {"text": "This morning I found a wallet on the bus with a fair amount of cash in it and an ID card, but no phone number. Handing it to the police seems like the obvious thing to do, but I have heard stories of wallets going missing there. The address on the ID is only a short drive from my place. Would it be strange to just drop it off at their door?", "source": "board/ethics", "n_tokens": 94}
        {"text": "My boyfriend has wanted a dog for years and now that we have a house he keeps bringing it up. I am mildly allergic and honestly not much of a dog person. I do not want to be the one who crushes his dream, though. Are there breeds that work for people like me, or should I be honest and say no?", "source": "board/pets", "n_tokens": 81}
        {"text": "After ten years in the capital I am thinking about moving back to the small town where I grew up. Rent is a third of what I pay here and my parents would be nearby. On the other hand, there is not much going on there and I worry I will feel like I have gone backwards.\n\nHas anyone moved home and been happy about it?", "source": "board/relocation", "n_tokens": 86}
        {"text": "I caught my seven-year-old lying about finishing his homework for the third time this week. He looked me right in the eye and said it was done. I do not want to overreact, but I also do not want this to become a habit. What worked for you at that age?", "source": "board/parenting", "n_tokens": 67}
        {"text": "I signed up for a gym two months ago and have only been four times. Every time I walk in I feel like everyone is watching me and I do not know how to use half of the machines. I really want to get fitter this year. How did you get over the awkward beginner stage?", "source": "board/health", "n_tokens": 73}
        {"text": "My oldest friend is getting married and the stag weekend is abroad, with flights and a villa that would cost me most of a month's rent. I cannot really afford it, but I do not want to be the only one missing. He has not asked anyone whether the plan works for them. Should I tell him, or just quietly make an excuse?", "source": "board/friendship", "n_tokens": 82}
        {"text": "There is a friend from school who only ever calls me when she needs something, whether that is a lift, a favour or a place to stay. When I needed help moving last year she was suddenly busy. I keep saying yes out of habit. Is it time to let this friendship fade?", "source": "board/friendship", "n_tokens": 69}
        {"text": "The family across the road is building a large extension, and I am fairly sure they never got permission. It blocks a good part of the afternoon sun in my garden. We have always been on good terms and their kids play with mine. Would you report it, or let it go to keep the peace?", "source": "board/neighbours", "n_tokens": 73}
        {"text": "My thirteen-year-old wants to quit piano after six years of lessons. She is actually quite good, and I know I would have loved that chance at her age. But she says she dreads every lesson now. Do I push her to keep going or let her choose something else?", "source": "board/parenting", "n_tokens": 64}
        {"text": "My father is eighty-four and still insists on driving himself everywhere. Last month he scraped two parked cars and said it was nothing. My brother thinks we should hide the keys, but I think that would break his spirit. How did you handle this with your own parents?", "source": "board/family", "n_tokens": 63}
        {"text": "My flatmate's boyfriend has basically moved in without anyone discussing it. He showers here every morning, eats our food and never offers to pay for anything. My flatmate is lovely and I do not want to ruin our friendship. How do I raise this without sounding petty?", "source": "board/housing", "n_tokens": 62}
        {"text": "Every time I make lasagne it ends up swimming in liquid when I cut it. I drain the meat sauce and let it rest before serving, but the bottom is still soup. My family eats it anyway, but I am tired of serving a puddle. Any idea what I am doing wrong?", "source": "board/cooking", "n_tokens": 68}
        {"text": "I cannot cook rice without it turning into a sticky lump. I have tried rinsing it, using less water and not lifting the lid, and it still goes gluey. My grandmother made perfect rice without ever measuring anything. What is the trick I am missing?", "source": "board/cooking", "n_tokens": 59}
        {"text": "I earn a decent salary but somehow have nothing left at the end of each month. I do not buy anything big, it just seems to vanish on small things. I have tried budgeting apps but I stop using them after a week. How did you finally get a grip on your spending?", "source": "board/money", "n_tokens": 69}
        {"text": "Our group of six friends is planning a trip together for the first time. Half of us want a quiet cottage in the hills, the other half want a city with nightlife. The group chat is getting tense and someone has already threatened to drop out. How do you settle something like this fairly?", "source": "board/friendship", "n_tokens": 71}
        {"text": "Whenever my mother-in-law visits, she rearranges my kitchen cupboards to how she thinks they should be. It takes me days to find everything again afterwards. My husband says she means well and I should just let it go. Am I being unreasonable for wanting to say something?", "source": "board/family", "n_tokens": 62}
        {"text": "I have not spoken to my brother in nearly eight years after a fight over our father's house. I recently heard he has been ill. I still think he treated me badly, but I do not want to regret staying silent forever.\n\nHas anyone reached out after such a long time? How did it go?", "source": "board/family", "n_tokens": 72}
        {"text": "Three parcels have gone missing from my doorstep this month. A neighbour's doorbell camera seems to show a teenager from our street, though the picture is blurry. I know his parents a little. Should I talk to them first or report it to the police?", "source": "board/neighbours", "n_tokens": 59}
        {"text": "I am giving a speech at my brother's wedding next month and I am already losing sleep over it. I freeze up whenever I have to talk in front of more than five people. I want it to be funny and warm, not a nervous mumble. What helped you get through it?", "source": "board/events", "n_tokens": 68}
        {"text": "My siblings and I have to clear out our late parents' house before it is sold. There are decades of stuff in there and every object seems to have a story. We keep stopping to argue about what to keep. How do families get through this without falling out?", "source": "board/family", "n_tokens": 64}
        {"text": "I am forty-one and have never learned to drive, because I have always lived in cities with good buses. We are moving to the countryside now and I have no choice. I am embarrassed to be a beginner at my age and terrified of motorways. Did anyone else learn late, and how long did it take?", "source": "board/motoring", "n_tokens": 73}
        {"text": "I moved to a new city for work four months ago and I still do not know anyone outside the office. Weekends are especially quiet and I have started to dread them. I am not a very outgoing person. Where do adults actually make new friends?", "source": "board/relocation", "n_tokens": 60}
        {"text": "My son has come home upset several times because of a group of older boys at school. He begged me not to call the school because he thinks it will make things worse. I am torn between respecting his wishes and protecting him. What would you do?", "source": "board/parenting", "n_tokens": 62}
        {"text": "A friend has asked me for an honest opinion about the business she wants to start with her savings. Frankly, I think the idea is not going to work, and I have seen similar shops close within a year. She seems so excited and has already told everyone. Do I tell her the truth, or just support her?", "source": "board/friendship", "n_tokens": 76}
        {"text": "For the fourth time this month, a neighbour has parked across my driveway and I could not get out for work. He is always apologetic and moves it when I knock, but it keeps happening. I do not want to start a feud with someone I will live next to for years. How firm should I be?", "source": "board/neighbours", "n_tokens": 75}
        {"text": "Our residents' association has fined us because our front garden is full of wildflowers instead of a lawn. We did it on purpose for the bees and butterflies. The rules say gardens must be \"neat and maintained\", which ours is, in my opinion. Has anyone successfully challenged something like this?", "source": "board/housing", "n_tokens": 65}
        {"text": "I became vegetarian last year and my family's summer barbecue is coming up. Last time my uncle made jokes about it all afternoon and my mother acted hurt that I did not eat her burgers. I do not want to make a big deal of it. How do I handle the day without a scene?", "source": "board/family", "n_tokens": 72}
        {"text": "Our washing machine is eight years old and has started leaking from underneath. A repair quote came in at about half the price of a new machine. Part of me hates throwing things away, but I also do not want to pay for a repair and then have it break again next year. Which would you do?", "source": "board/diy", "n_tokens": 75}
        {"text": "There is black mould spreading across the bedroom wall of the flat I rent. I clean it every week, but it keeps coming back, and my toddler sleeps in that room. The landlord says it is because we do not open the windows enough. Who is actually responsible for fixing this?", "source": "board/housing", "n_tokens": 67}
        {"text": "I am fifty and seriously considering taking a year off to travel and volunteer. The kids are grown and I have some savings, but everyone keeps telling me it is a risky thing to do at my age. I feel like if I do not go now, I never will. Has anyone done this later in life?", "source": "board/life", "n_tokens": 75}
        {"text": "One friend in our circle arrives at least an hour late to every dinner party I host. The food goes cold, and the rest of us sit waiting politely. She always has a reason, but it has been like this for years. Should I just start without her or say something?", "source": "board/friendship", "n_tokens": 67}
        {"text": "My ex and I have completely different rules about screen time for our two boys. At his place they play games until late, and at mine they have an hour a day. Now they complain every time they come back to me. How do separated parents agree on this sort of thing?", "source": "board/parenting", "n_tokens": 68}
        {"text": "Our new cat has decided the arm of our sofa is her favourite scratching spot. We bought two scratching posts and she ignores them both completely. The sofa is not expensive, but it is starting to look shredded. What actually worked for your cats?", "source": "board/pets", "n_tokens": 58}
        {"text": "I won a modest amount in the lottery, nothing life-changing but enough to clear my debts. My brother found out and hinted that he could really use some help with his own bills. I feel guilty keeping it all, but I have worked hard to get out of debt. Am I obliged to share?", "source": "board/money", "n_tokens": 71}
        {"text": "The couple next door argue loudly most nights and I can hear every word through the wall. Sometimes it sounds frightening, though I have never seen anything physical. I do not want to interfere in a stranger's relationship. At what point should I call someone?", "source": "board/neighbours", "n_tokens": 59}
        """#,
        "demo_forum_1": #"""
        {"text": "I have a safe job at an insurance company with a good pension. A friend has asked me to join his small startup as the third employee, with a lower salary but a share of the company. I am thirty-four with a mortgage and no kids yet. Is this the moment to take a risk, or am I being naive?", "source": "board/careers", "n_tokens": 78}
        {"text": "My bike chain keeps skipping whenever I pedal hard in the middle gears. I have cleaned and oiled it and adjusted the barrel screw a little, but it still slips. The bike is about five years old and I have never replaced anything on it. Is it the chain, the cassette or something else?", "source": "board/cycling", "n_tokens": 71}
        {"text": "My sourdough loaves keep coming out flat and dense, like a frisbee. The starter bubbles nicely and doubles within a few hours, so I do not think that is the issue. I follow the recipe exactly, including an overnight rest in the fridge. Where should I start looking?", "source": "board/baking", "n_tokens": 63}
        {"text": "In our last team meeting my manager presented an analysis I spent two weeks on as if it were his own. He did not mention my name once, and the director praised him for it. I am new to this company and do not want a reputation as a troublemaker. How would you handle this?", "source": "board/workplace", "n_tokens": 72}
        {"text": "The lower leaves on my tomato plants are turning yellow and then brown. They are in large pots on a sunny balcony and I water them every evening. The fruit still looks fine so far. Am I overwatering, or is something missing from the soil?", "source": "board/gardening", "n_tokens": 59}
        {"text": "Our band practises twice a week and the drummer is late almost every time, sometimes by an hour. The rest of us have jobs and families too, and we end up just sitting around waiting. He is a great drummer and a good friend. How do we bring this up without the band falling apart?", "source": "board/music", "n_tokens": 72}
        {"text": "I have been in my role for three years and have taken on a lot more responsibility, but my pay has not changed. My annual review is next month. I have never asked for a raise before and the idea makes me nervous. How do you prepare for that conversation?", "source": "board/careers", "n_tokens": 65}
        {"text": "I am knitting my first jumper and the tension is all over the place. Some rows are tight and others are loose, so the fabric looks wavy. I have tried to relax my hands but it does not seem to help. Does this get better with practice, or should I change how I hold the yarn?", "source": "board/crafts", "n_tokens": 73}
        {"text": "A colleague reheats fish in the shared office microwave every single day. The whole floor smells of it until late afternoon, and several people have complained to me about it behind his back. Nobody wants to say anything to him directly. Should I be the one to mention it?", "source": "board/workplace", "n_tokens": 64}
        {"text": "I am twelve weeks into training for my first marathon and my right knee has started to ache after long runs. It does not hurt while running, only the day after. The race is in two months and I have already paid the entry fee. Should I rest, push through, or see someone?", "source": "board/running", "n_tokens": 69}
        {"text": "I started learning guitar at thirty-five and have been practising for about six months. Everything was going well until I hit barre chords. My fingers hurt and the strings still buzz no matter how hard I press. Is this just a wall everyone hits, or am I doing something wrong?", "source": "board/music", "n_tokens": 65}
        {"text": "I have been offered a promotion to lead the team I have been part of for five years. Some of my new reports are close friends, and one of them also applied for the role. The extra money would make a real difference to my family. How do you manage people who used to be your equals?", "source": "board/careers", "n_tokens": 75}
        {"text": "Several people have told me I should sell prints of my landscape photos. I love taking them, but I worry that turning it into a business will take the joy out of it. I also have no idea how to price anything. Has anyone here made the jump from hobby to selling?", "source": "board/photography", "n_tokens": 68}
        {"text": "Our local chess club has split into two camps over whether to allow faster games on club nights. The older members want classical games only, and the younger ones are threatening to leave. I am on the committee and have been asked to propose a compromise. Any ideas from other clubs?", "source": "board/games", "n_tokens": 67}
        {"text": "At the warehouse where I work, the supervisors have been switching off a safety sensor on one of the machines to speed up production. Nobody has been hurt yet, but it is only a matter of time. I need this job and I am worried about what would happen if I report it. What would you do?", "source": "board/workplace", "n_tokens": 75}
        {"text": "I built my first dining table from oak boards and it wobbles no matter where I put it. I have checked the floor and it is level, so it must be the legs. I am afraid of making it worse by cutting the wrong one. How do experienced woodworkers fix this?", "source": "board/woodworking", "n_tokens": 67}
        {"text": "Our company has announced that everyone must return to the office four days a week. I moved further out of the city during the remote years and the commute would now be ninety minutes each way. My work has been rated excellent the whole time. Is it worth pushing back or should I start looking elsewhere?", "source": "board/workplace", "n_tokens": 73}
        {"text": "I finished a website for a client two months ago and he still has not paid the final invoice. He keeps saying the payment is \"being processed\" and now ignores my calls. We only had an email agreement, not a proper contract. What can a freelancer realistically do here?", "source": "board/freelance", "n_tokens": 64}
        {"text": "The water in my new aquarium turned cloudy a week after I set it up. I rinsed the gravel and used a water conditioner, and the fish seem fine for now. I have been doing small water changes every day. Am I making it worse by fiddling with it too much?", "source": "board/aquariums", "n_tokens": 67}
        {"text": "I have been bouldering for a year and have been stuck at the same grade for the last four months. I go three times a week and try the same problems over and over. My friends who started with me have moved on. What helped you break through a plateau?", "source": "board/climbing", "n_tokens": 65}
        {"text": "In our community choir, two members have been competing for the solo parts for a year now. Rehearsals have become tense and the rest of us feel caught in the middle. The director seems to avoid the topic completely. Should one of us step in?", "source": "board/music", "n_tokens": 59}
        {"text": "I have a two-year gap on my CV because I was caring for a sick relative. A friend told me to just stretch the dates of my previous job to cover it. That feels dishonest, but I have been rejected from so many interviews already. How do you explain a gap like that?", "source": "board/careers", "n_tokens": 69}
        {"text": "My pottery keeps cracking in the kiln, usually along the base. I let the pieces dry for a week before firing and try to keep the walls an even thickness. It is heartbreaking to lose something I spent hours on. What could be causing it?", "source": "board/crafts", "n_tokens": 59}
        {"text": "I am thirty-eight, working in retail management, and thinking about a coding bootcamp to switch careers. It costs a lot and the ads promise the world. I have done some free online courses and enjoyed them. Is it realistic to get a developer job after one of these at my age?", "source": "board/careers", "n_tokens": 67}
        {"text": "I am fairly sure a colleague has been drinking during work hours. He smells of alcohol after lunch and has made several mistakes recently. He has been kind to me since I started here. Should I talk to him first, or go to a manager?", "source": "board/workplace", "n_tokens": 59}
        {"text": "One of my two hives has suddenly become very aggressive this summer. The bees follow me across the garden and I was stung four times last weekend. The other hive is calm as ever. Is this something I can fix, or do I need to replace the queen?", "source": "board/beekeeping", "n_tokens": 63}
        {"text": "My latest batch of homemade beer has a strange buttery taste. I cleaned everything carefully and followed the same recipe as before, which turned out great. The only difference is that my kitchen was much warmer this time. Could that explain it, and can the batch be saved?", "source": "board/brewing", "n_tokens": 63}
        {"text": "I have started selling handmade furniture on weekends and it is going better than I expected. My employment contract has a clause about outside work needing approval, though my side business has nothing to do with my day job. I am worried that asking will cause more problems than staying quiet. What would you do?", "source": "board/careers", "n_tokens": 72}
        {"text": "I am doing a part-time evening course and we have a group project due next month. One member has not done anything for weeks and replies to messages days later. The rest of us are working around him, but it is frustrating. Should we tell the tutor, or just carry him?", "source": "board/study", "n_tokens": 67}
        {"text": "Our weekly board game group has one player who, I am almost certain, cheats. I have seen him move pieces when he thinks nobody is looking. He is a friend of the host and everyone else seems not to notice or care. Is it worth bringing up over a game?", "source": "board/games", "n_tokens": 65}
        {"text": "I have been painting for years but have never shown my work to anyone except my partner. A local café has asked whether they can hang a few pieces on their walls. The idea of strangers judging my paintings makes me feel sick. How did you get over that fear?", "source": "board/art", "n_tokens": 65}
        {"text": "A fox got into my chicken coop last week and killed three of my hens. I thought the run was secure, but it dug under the fence overnight. I am now afraid for the remaining birds. What is the most reliable way to fox-proof a coop?", "source": "board/smallholding", "n_tokens": 60}
        {"text": "My sewing machine keeps bunching thread into a knot underneath the fabric. I have rethreaded it several times and changed the needle. It is an old machine that belonged to my mother, so I would love to keep it running. Any idea what I should check next?", "source": "board/crafts", "n_tokens": 62}
        {"text": "My mother's health is getting worse and I am thinking of going part-time to look after her. My manager has hinted that this would end my chances of promotion. My siblings live abroad and cannot help much. How did others balance care and a career?", "source": "board/careers", "n_tokens": 59}
        {"text": "The owner of the restaurant where I cook has asked me to change the dates on food that is past its use-by date. He says everyone does it and nobody gets sick. I am uncomfortable about it, but jobs are hard to find in my town. What should I do?", "source": "board/workplace", "n_tokens": 65}
        {"text": "I help run a community garden and there is an ongoing argument over who gets the sunniest plots. Some members have held the same plots for ten years, and newcomers feel it is unfair. Every meeting turns into a shouting match. How do other gardens handle plot allocation?", "source": "board/gardening", "n_tokens": 63}
        {"text": "I want to keep cycling to work through the winter, but last year I gave up in December. The roads are dark and wet, and I arrive at the office soaked and cold. I would rather not spend a fortune on gear. What made winter commuting bearable for you?", "source": "board/cycling", "n_tokens": 64}
        {"text": "Our amateur theatre group has a new director who has cast all of her friends in the main roles. Some of them have never acted before, while long-time members got tiny parts. People are grumbling but nobody wants to confront her. Is this worth fighting over in a hobby group?", "source": "board/theatre", "n_tokens": 65}
        {"text": "I have received a job offer abroad with about forty percent more pay and a much more interesting role. My parents are elderly and my partner is not sure she wants to move. The company wants an answer within two weeks.\n\nHow did you weigh career against family when it came to moving?", "source": "board/careers", "n_tokens": 69}
        {"text": "I have been studying Japanese for three years and I feel completely stuck at an intermediate level. I can read simple texts but freeze whenever I try to speak. Textbooks bore me now. What finally got you past the intermediate plateau?", "source": "board/languages", "n_tokens": 54}
        {"text": "My motorbike will not start after sitting in the garage all winter. The battery seems fine and the lights come on, but the engine just turns over without catching. I forgot to add fuel stabiliser before storing it. Is that likely the problem, and what should I do now?", "source": "board/motorbikes", "n_tokens": 64}
        {"text": "I have fished for catch and release for years, but lately I have started to wonder whether it is actually kind to the fish. A friend says it is worse than keeping them. I enjoy being by the water more than anything else. How do other anglers think about this?", "source": "board/fishing", "n_tokens": 65}
        {"text": "At my office it is expected that everyone stays late most evenings, but overtime is never paid. Nobody ever says it directly, but people who leave on time get passed over. I have a small child and cannot keep working until eight. Is it worth raising this with HR?", "source": "board/workplace", "n_tokens": 64}
        {"text": "I would like to start hiking alone in the mountains, but my family thinks it is too dangerous. I am fairly experienced and always tell someone my route. Still, I keep hearing about people getting lost. What safety habits do solo hikers here swear by?", "source": "board/outdoors", "n_tokens": 59}
        {"text": "I teach at a secondary school and one parent has been sending me long, angry emails about her son's marks several times a week. The marks are fair and I have explained them more than once. I am starting to dread opening my inbox. How do experienced teachers deal with this?", "source": "board/teaching", "n_tokens": 67}
        {"text": "My model railway has slowly taken over the spare room, and now my wife wants the room back for guests. I have spent years building the layout and cannot imagine tearing it down. We are not going to move house any time soon. Has anyone found a compromise for this?", "source": "board/models", "n_tokens": 65}
        {"text": "I made a big batch of strawberry jam yesterday and it simply has not set. It is still runny like syrup this morning. I followed my grandmother's recipe but did not use a thermometer. Can I reboil it, or is the batch lost?", "source": "board/preserving", "n_tokens": 56}
        {"text": "I switched to night shifts at the hospital six months ago and my sleep has been terrible ever since. I get maybe four hours during the day and feel like a zombie on my days off. The pay is better, which we need right now. How do long-term night workers cope?", "source": "board/health", "n_tokens": 67}
        {"text": "I joined the volunteer fire service in our village last year and I find it very meaningful. But the call-outs often come at night or during family dinners, and my husband is tired of it. The service is already short of people. How do other volunteers keep the peace at home?", "source": "board/volunteering", "n_tokens": 67}
        {"text": "My wife and I are in our mid-fifties and have been dreaming of retiring early to live on a sailing boat. We have savings but it would mean selling our house. Our children think we have lost our minds. Has anyone here done this, and do you regret it?", "source": "board/sailing", "n_tokens": 64}
        """#,
    ]
}
