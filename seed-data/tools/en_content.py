# -*- coding: utf-8 -*-
"""Configuration and hand-written content of the English demo workspace (Line support desk).

The vendor (Halden Automation) and its products (HX servo presses, CX conveyor controllers, the LineView HMI) are
fictional; the alarm codes belong to that fictional product line.
"""
import datetime as dt


def S(cat, tags, q, a, **kw):
    d = {"cat": cat, "tags": tags, "q": q, "a": a}
    d.update(kw)
    return d


def P(cat, tags, q, good, bad, mode, why=None, **kw):
    d = {"cat": cat, "tags": tags, "q": q, "good": good, "bad": bad, "mode": mode, "why": why}
    d.update(kw)
    return d


SYS = ("You are a support engineer at Halden Automation's line support desk. Customers run HX servo presses and CX "
       "conveyor controllers. Be precise, put safety first, and say when something needs a field service visit.")

SFT = [
    S("alarms", ["hx", "servo", "alarm"],
      "Our HX-250 shows alarm E-217 \"servo following error\" right after we changed the motion profile.",
      "E-217 means the slide fell too far behind the commanded position, which after a profile change usually means "
      "the new motion asks for more torque than the axis has.\n"
      "1. Open Motion > Profile and check the load ratio the HMI shows for the new profile; anything above 100% in the "
      "acceleration or dwell segment will trip E-217.\n"
      "2. Lower the acceleration in that segment, or shorten the dwell at bottom dead centre.\n"
      "3. If the old profile runs without the alarm, restore it and change one parameter at a time.\n"
      "Please send us the alarm log export (Diagnostics > Export) if it still trips with the old profile."),
    S("alarms", ["hx", "overload"],
      "The press stopped with \"tonnage overload, left rear\". Can the operator just reset it?",
      "Not before someone looks at the die. An overload on one corner usually means a double blank, a slug or a "
      "misplaced part on that side.\n"
      "- Lock out the press, open the die area and check the left rear of the die for doubled material or debris.\n"
      "- Note the peak tonnage from the load monitor screen.\n"
      "- After clearing it, inch one full stroke and confirm the tonnage reading is back to its normal range before "
      "returning to continuous mode.\n"
      "Repeated resets without finding the cause can damage the connection and the die."),
    S("alarms", ["cx", "conveyor", "jam"],
      "CX conveyor controller keeps raising \"zone 3 jam\" but nothing is stuck.",
      "A jam alarm with a clear conveyor is almost always the zone 3 photo-eye.\n"
      "- Clean the lens and the reflector; oil mist from the press builds up fast.\n"
      "- Check that the sensor is still aligned. The LED on the sensor should be steady green with the zone empty.\n"
      "- In LineView, check the jam timer for zone 3. If someone shortened it, a slow part can trip it.\n"
      "If the LED flickers with the zone empty, replace the sensor; the part number is on the zone 3 label."),
    S("alarms", ["hx", "brake"],
      "We get a \"brake monitor warning\" every morning, then it goes away.",
      "The brake monitor compares the stopping time with its limit. If it only warns in the first strokes of the day, "
      "the brake is probably working against cold, thick lubricant or low air pressure at start-up.\n"
      "- Check the air pressure at the brake at start-up; it should reach the value on the press nameplate before the "
      "first stroke.\n"
      "- Run the warm-up cycle in LineView before production.\n"
      "- Export the brake monitor log for a week. If stopping times are creeping up during the day as well, the brake "
      "needs service and you should book a visit; do not raise the limit."),
    S("alarms", ["hmi", "communication"],
      "LineView says \"PLC communication lost\" a few times per shift.",
      "Short communication drops are usually the network, not the PLC.\n"
      "1. Check the Ethernet cable and connector at the HMI; cables running along the press frame get crushed.\n"
      "2. Make sure the HMI and PLC are on the line's own switch and not sharing a port with office traffic.\n"
      "3. Look at the switch's port counters for errors.\n"
      "4. Note the times of the drops. If they match another machine starting, look for a cable run next to its "
      "power wiring.\n"
      "The press stays under PLC control during a drop, but the operator loses the screen, so please fix it soon."),
    S("commissioning", ["hx", "install", "levelling"],
      "What levelling tolerance do you need before the HX-250 commissioning visit?",
      "Please have the press levelled to 0.05 mm/m or better in both directions on the bolster, measured with a "
      "precision level, and the anchor bolts torqued to the values in the installation manual. Also have the "
      "foundation cured for at least 28 days. Our engineer will check the level again on arrival; if it is out, the "
      "visit starts with re-levelling, which takes most of a day."),
    S("commissioning", ["power", "install"],
      "What do we have to prepare electrically for a new HX press?",
      "Before the visit, please have:\n"
      "- A 400 V three-phase supply with the breaker rating from the electrical drawing, terminated at the main "
      "disconnect.\n"
      "- A protective earth conductor of the size on the drawing.\n"
      "- A lockable main disconnect within sight of the press.\n"
      "- An Ethernet drop from the line switch if you want remote support.\n"
      "Please don't energise the cabinet before our engineer is on site; the drive settings are loaded during "
      "commissioning."),
    S("commissioning", ["safety", "light-curtain"],
      "Who calculates the safety distance for the light curtain?",
      "Our engineer measures the stopping time of your press during commissioning and calculates the minimum safety "
      "distance from it (hand speed times stopping time, plus the additional distance for the curtain's resolution). "
      "The result goes on the commissioning report and on a label on the curtain mount. If you later move the curtain "
      "or change the brake, the distance has to be checked again; call us, don't estimate it."),
    S("commissioning", ["hx", "die-setting"],
      "How do we enter a new die in LineView?",
      "In LineView go to Dies > New and fill in:\n"
      "- Die number and name.\n"
      "- Shut height and the counterbalance pressure for the upper die weight.\n"
      "- Tonnage limits per corner (start at 80% of the die's design load if you don't know yet).\n"
      "- The motion profile and strokes per minute.\n"
      "- Die protection sensor channels and their timing windows.\n"
      "Save it, then inch through the first stroke with the die installed and confirm the shut height before you run "
      "parts."),
    S("maintenance", ["hx", "lubrication"],
      "How often should we change the gearbox oil on the HX-250?",
      "The first change is after 500 running hours to remove the running-in particles, then every 4,000 hours or "
      "once a year, whichever comes first. Use the oil grade on the gearbox nameplate. Take a sample at each change "
      "and look for metal particles; if you see glitter in the oil, send the sample to us before refilling."),
    S("maintenance", ["cx", "belt"],
      "The CX conveyor belt tracks to one side.",
      "Belt tracking is usually the tail pulley alignment.\n"
      "1. Lock out the conveyor.\n"
      "2. Check the belt for damage and the pulleys for build-up; clean them first.\n"
      "3. Adjust the tail pulley take-up on the side the belt runs towards, a quarter turn at a time.\n"
      "4. Run the empty conveyor for a few minutes after each adjustment before adjusting again.\n"
      "If the belt keeps wandering after that, the frame may be out of square; measure the diagonals."),
    S("maintenance", ["hx", "filter"],
      "Where are the filters on the HX press and how often do they change?",
      "There are three:\n"
      "- Cabinet air filter (on the cabinet door fan): check monthly, replace when grey, more often in dusty shops.\n"
      "- Hydraulic overload system return filter: replace when the indicator turns red or every 2,000 hours.\n"
      "- Lubrication pump suction strainer: clean at every oil change.\n"
      "The part numbers are in the spare parts list, chapter 9 of the manual."),
    S("maintenance", ["spare-parts"],
      "Which spare parts should we keep on the shelf?",
      "For an HX press we recommend keeping at least:\n"
      "- One set of brake pads.\n"
      "- One safety valve (the dual valve for clutch/brake air).\n"
      "- Proximity sensors of each type used for die protection.\n"
      "- The cabinet fan and filter mats.\n"
      "- A lubrication pump.\n"
      "Lead time on the safety valve and brake pads is several weeks, so these matter most."),
    S("customer-comms", ["ticket"],
      "What information should the customer include when opening a ticket?",
      "Ask for these up front; it saves a day of back-and-forth:\n"
      "- Machine serial number and software version (LineView > About).\n"
      "- The alarm code and the exact text, with the time it happened.\n"
      "- What the machine was doing: mode, die number, strokes per minute.\n"
      "- What they already tried.\n"
      "- An alarm log export and a photo of the screen if they can.\n"
      "Then confirm back to them what you understood before you start troubleshooting."),
    S("customer-comms", ["rma"],
      "A customer wants to return a servo drive. What's the process?",
      "1. Confirm the fault with the customer and collect the drive's alarm history; many returned drives turn out to "
      "be fine and the fault is the motor or cable.\n"
      "2. Open an RMA in the service system with the serial number and the fault description.\n"
      "3. Send the customer the RMA number and packing instructions (anti-static bag, original packaging if they have "
      "it).\n"
      "4. Tell them whether a replacement ships before or after we receive the old unit, according to their service "
      "contract."),
    S("customer-comms", ["escalation"],
      "When should I escalate a ticket to field service?",
      "Escalate when:\n"
      "- Anything touches safety functions: brake performance, light curtain, two-hand control, emergency stop.\n"
      "- Mechanical damage is suspected (cracks, unusual noise from the drive train, oil with metal particles).\n"
      "- Remote troubleshooting hasn't found the cause after two sessions.\n"
      "When you escalate, write a summary of what was checked so the field engineer doesn't start from zero."),
    dict(cat="alarms", tags=["hx", "follow-up"], turns=[
        ("The operator says the HX press makes a loud bang at the bottom of the stroke since this morning.",
         "Please ask them to stop the press and not run it until we know more. A new bang at bottom dead centre can be "
         "a loose die clamp, a wrong shut height or a problem in the connection. Was there a die change this morning?"),
        ("Yes, they changed dies at 6 am.",
         "Then start with the die setting:\n"
         "- Compare the shut height on the screen with the value stored for that die in LineView.\n"
         "- Check that all upper and lower clamps are tight.\n"
         "- Check the counterbalance pressure for that die's upper weight.\n"
         "- Look at the tonnage monitor: is the peak higher than on the last run of this die?\n"
         "If all of that is correct and it still bangs, lock out the press and we'll arrange a field visit."),
    ]),
    dict(cat="customer-comms", tags=["ticket", "tone"], sys=SYS,
         q="The customer is angry because the press has been down for two days. How do I reply?",
         a="Acknowledge the impact first, then give them facts and a next step with a time.\n"
           "For example: \"I understand the press has been down for two days and that this is stopping your line. "
           "Here is where we are: we've ruled out the drive and the cables, and the remaining suspect is the encoder. "
           "A field engineer can be on site tomorrow at 9:00 with a spare. I'll call you at 16:00 today to confirm.\"\n"
           "Don't promise what you can't control, and do call back when you said you would."),
    dict(cat="maintenance", tags=["hx", "brake"], status="rejected",
         review="Brake pad replacement on the HX is a field-service job (it needs the brake test afterwards). Please rewrite to say so.",
         q="Can our maintenance team replace the brake pads themselves?",
         a="Yes, brake pads are a standard wear part. Take the old pads out, put the new ones in and restart the press."),
    S("alarms", ["cx", "drive"],
      "CX controller shows \"drive overtemperature\" on the exit conveyor in the afternoon.",
      "An afternoon overtemperature is usually heat, not a broken drive.\n"
      "- Check the cabinet fan and its filter mat; a blocked mat is the most common cause.\n"
      "- Measure the cabinet temperature in the afternoon; above 40 °C the drives derate.\n"
      "- Check that nothing is stacked against the cabinet vents.\n"
      "- If the conveyor load increased (heavier parts, longer run), compare the motor current with the nameplate.\n"
      "If the cabinet is cool and it still trips, send us the drive's alarm history."),
]

PAIRS = [
    P("alarms", ["hx", "alarm"],
      "What does E-104 \"encoder signal lost\" mean and can we keep running?",
      "E-104 means the drive lost the position signal from the slide encoder, so it stopped the axis. Don't try to run "
      "without it; the press doesn't know where the slide is.\n"
      "- Check the encoder cable connector at the motor and at the drive, and the cable along the moving parts.\n"
      "- Look for oil or coolant in the connector.\n"
      "- If it comes back after a reset and drops again, send us the alarm log; the encoder may need replacing.",
      "E-104 is a minor alarm. Reset it and keep running; if it happens more than ten times a day, call us.",
      "unsafe", "Running with lost position feedback is not acceptable."),
    P("alarms", ["hx", "overload"],
      "Can we raise the tonnage limit so the overload stops tripping?",
      "Only within the die's design load, and only after you know why it trips. Check for double blanks, slugs and "
      "worn tooling first, and compare the peak with earlier runs of the same die. If the die really needs more force "
      "than its limit, talk to the die designer before changing the setting.",
      "Yes, you can raise it in LineView under Dies > Limits. Most customers set it to 100% of the press capacity so it "
      "never trips during production. The press is built to take its rated load, so there is no risk to the machine. "
      "After changing it, run a few strokes to check that it no longer trips.",
      "unsafe", "The limit protects the die; raising it blindly is wrong."),
    P("alarms", ["cx", "jam"],
      "Zone 5 jam alarm on the CX conveyor, but only when the line runs fast.",
      "If it only happens at high speed, the parts are arriving before the previous one has cleared the zone. Check the "
      "zone 5 jam timer and the gap setting between parts, and make sure the zone 5 photo-eye isn't seeing two parts "
      "as one. Increasing the gap slightly or adjusting the timer usually fixes it.",
      "Replace the zone 5 sensor.",
      "incomplete", "Explains the speed dependency and what to check."),
    P("alarms", ["hmi"],
      "LineView is frozen but the press is still running. What do we do?",
      "The press runs under PLC control, so the safety functions still work, but the operator can't see alarms. Finish "
      "the current stroke cycle, stop the press with the stop button, and restart the HMI (power button on the back, "
      "hold 5 seconds). If it freezes again, send us the HMI log from the USB export.",
      "The press runs under PLC control, so the safety functions still work, but the operator can't see alarms. Keep "
      "running until the end of the shift, then restart the HMI (power button on the back, hold 5 seconds). If it "
      "freezes again, send us the HMI log from the USB export.",
      "near", "Running a whole shift blind is not okay.", kind="near", key="hmi-freeze"),
    P("alarms", ["hx", "brake"],
      "Brake monitor says stopping time 212 ms, limit 200 ms. The press is locked. How do we unlock it?",
      "The lock is there because the press now takes longer to stop than the safety distance of your light curtain "
      "allows. Don't bypass it. Check the brake air supply and the dual valve exhaust for blockage; if those are fine, "
      "the brake needs service. Book a field visit; after the repair our engineer will re-measure the stopping time "
      "and release the lock.",
      "You can unlock it with the service password in LineView under Safety > Brake monitor and raise the limit to "
      "220 ms. A 12 ms difference is small and won't make a difference in practice.",
      "unsafe", "Raising the brake limit defeats the safety distance."),
    P("alarms", ["cx", "tie"],
      "What does the amber light on the CX controller mean?",
      "Amber means a warning: the line keeps running, but something needs attention soon, for example a filter, a "
      "timer near its limit, or a sensor that needs cleaning. The warning text is on the LineView alarm page.",
      "It's a warning, not a fault. The conveyor keeps running; open the alarm page in LineView to see which warning "
      "is active and deal with it at the next break.",
      "tie", "Both are correct.", kind="tie"),
    P("alarms", ["both-bad"],
      "The light curtain alarm keeps stopping the press when nobody is near it.",
      "Switch the curtain to muting mode for the rest of the shift and call us tomorrow.",
      "Move the light curtain a bit further away so it stops seeing whatever triggers it.",
      "both_bad", "Both defeat or move a safety device without a safety-distance check.", kind="both_bad"),
    P("alarms", ["hx", "servo"],
      "Servo drive shows \"DC bus overvoltage\" when the slide goes up fast.",
      "Overvoltage during fast motion is usually energy coming back from the motor during deceleration. Check the "
      "braking resistor: its connections, its resistance against the value on the drawing, and whether its thermal "
      "switch has tripped. A slower deceleration in the return stroke also reduces it.",
      "DC bus overvoltage means the mains voltage is too high. Ask your electrician to check the supply voltage. The "
      "drive is designed for 400 V and voltages above 440 V can damage it. Your supplier may be able to adjust the "
      "transformer tap. Until then, run the press at night when the grid voltage is lower.",
      "wrong", "Regeneration during deceleration is the usual cause."),
    P("commissioning", ["install"],
      "How long does an HX-250 commissioning take?",
      "Plan for three days on site if the press is levelled and the power is ready: one day for mechanical checks and "
      "power-up, one for drive tuning and safety tests (including stopping-time measurement), and one for running "
      "your first die with your operators.",
      "It usually takes one day.",
      "vague", "Gives a realistic plan with what happens each day."),
    P("commissioning", ["foundation"],
      "Can we install the press on the existing shop floor instead of a separate foundation?",
      "It depends on the floor. The foundation drawing gives the required thickness, reinforcement and load; your "
      "structural engineer has to confirm the existing floor meets it. Presses on an inadequate floor vibrate, lose "
      "level and can crack the slab. Send us the floor's specification and we'll review it with you.",
      "Yes, most shop floors are strong enough for a press. Just put it on anti-vibration pads.",
      "wrong", "The floor has to be checked against the foundation drawing."),
    P("commissioning", ["light-curtain"],
      "Can we mount the light curtain closer to the die so the operator reaches less?",
      "Not closer than the minimum safety distance calculated from the press's stopping time. If you want the curtain "
      "closer, the stopping time has to come down (for example a faster brake or a lower speed setting), and the "
      "distance has to be recalculated and documented. We can help with that calculation.",
      "Yes, a few centimetres closer is fine; the safety distance has a built-in margin.",
      "unsafe", "The distance is a minimum, not a suggestion."),
    P("commissioning", ["network"],
      "Does the press need internet access for remote support?",
      "No. Remote support works through a VPN gateway that connects out to our service server only when your staff "
      "enable it with the key switch on the cabinet. The press itself stays on your line network; you control when a "
      "session is possible.",
      "Yes, the press has to be connected to the internet all the time so we can monitor it. Just give it a public IP "
      "address and open port 80 and port 502 on your firewall so our engineers can reach it whenever they need to.",
      "unsafe", "Exposing the PLC to the internet is a security risk."),
    P("commissioning", ["training"],
      "What training do our operators get during commissioning?",
      "During the last day, our engineer trains the operators on the machine: start-up and warm-up, die change with "
      "the LineView die library, reading alarms and the load monitor, and the daily safety checks (light curtain test "
      "rod, emergency stops, two-hand control). Maintenance staff get a separate session on lubrication, filters and "
      "lock-out points.",
      "Operators get training on everything. Our engineer will explain the whole machine, including the electrical "
      "design, the PLC program structure, the drive parameters, the hydraulic circuit, the history of the HX product "
      "line, our quality system and our other products, so that they understand the machine completely. Training "
      "normally takes as long as it needs.",
      "ramble", "Specific and realistic vs. an unfocused list."),
    P("commissioning", ["tie"],
      "Do we need to be present during the commissioning?",
      "Yes, please have a maintenance technician and the line supervisor available for the whole visit, and the "
      "operators on the last day for training.",
      "Yes. Our engineer needs your maintenance person throughout, your supervisor for the safety sign-off and your "
      "operators for the training on the final day.",
      "tie", "Same content.", kind="tie"),
    P("maintenance", ["lubrication"],
      "The automatic lubrication pump alarm says \"low level\" but the tank is half full.",
      "Check the level sensor: it's a float switch at the bottom of the tank that can stick with old grease or dirt. "
      "Clean it and check that it moves freely. Also make sure the lubricant in the tank is the grade on the label; a "
      "thicker grease can hold the float down.",
      "Check the level sensor: it's a float switch at the bottom of the tank that can stick with old grease or dirt. "
      "Clean it and check that it moves freely.",
      "incomplete", "Almost the same; the extra point about the grade is useful.", kind="near"),
    P("maintenance", ["brake"],
      "How do we know when the brake pads need replacing?",
      "Watch the stopping time in the brake monitor log. When it trends up towards the limit, book the pad replacement "
      "with us. At the annual service our engineer also measures the pad thickness against the wear limit.",
      "Brake pads on the HX series use an organic compound bonded to a steel backing plate. The friction coefficient "
      "changes with temperature and the pads glaze if the press is run with insufficient air pressure. You can hear "
      "glazed pads as a squeal. Pad replacement intervals in the industry are generally between one and five years "
      "depending on usage, but every press is different, so it is difficult to say.",
      "ramble", "Use the stopping-time trend; the other rambles."),
    P("maintenance", ["cx", "belt"],
      "How tight should the CX conveyor belt be?",
      "Tight enough that the drive pulley doesn't slip under full load, and no tighter. The manual gives a belt "
      "elongation of about 0.3–0.5% for the CX belts: mark two lines 1,000 mm apart on the slack belt and tension "
      "until they are 1,003–1,005 mm apart.",
      "As tight as you can get it, so it never slips.",
      "wrong", "Overtensioning destroys bearings."),
    P("maintenance", ["hx", "gearbox"],
      "We found glitter in the gearbox oil sample.",
      "Glitter means metal particles, so stop the press and don't just change the oil. Send the sample to us with the "
      "running hours; we'll analyse it and likely schedule an inspection of the gears and bearings.",
      "That's normal in a gearbox. Change the oil and carry on.",
      "wrong", "Metal in the oil needs investigation."),
    P("maintenance", ["both-bad"],
      "Can we use compressed air to clean the drive cabinet while the line is running?",
      "Yes, just keep the nozzle away from the drives.",
      "Yes, but only at low pressure, and wear safety glasses.",
      "both_bad", "Cleaning inside a live cabinet is unsafe either way.", kind="both_bad"),
    P("maintenance", ["filter"],
      "The cabinet filter mats get dirty within a week.",
      "That usually means oil mist or dust from the press is being pulled into the cabinet. Check whether the cabinet "
      "is near the die area or a blow-off nozzle, fit the oil-mist filter mats from the spare parts list, and consider "
      "a closed-loop cabinet cooler. Keep changing the mats in the meantime; a blocked mat overheats the drives.",
      "Just take the filter mats out. The fan will work better without them.",
      "unsafe", "Removing the filter lets oil and dust into the drives."),
    P("maintenance", ["lockout"],
      "Where are the lock-out points on the HX-250?",
      "Four energy sources must be isolated:\n"
      "- The main disconnect on the cabinet (electrical).\n"
      "- The air supply valve at the back of the press (clutch/brake and counterbalance air); vent it with the dump "
      "valve next to it.\n"
      "- The hydraulic overload system: release pressure with the valve on the unit.\n"
      "- Gravity: put the safety blocks in before working under the slide.\n"
      "Each point has a yellow lock-out label.",
      "Lock the main disconnect; that cuts all energy to the press.",
      "incomplete", "Air, hydraulics and gravity stay after the main switch."),
    P("maintenance", ["lubrication", "edited"],
      "The automatic lubrication pump alarm says \"low level\" but the tank is half full.",
      "Check the level sensor: it's a float switch at the bottom of the tank that can stick with old grease or dirt. "
      "Lock out the pump, clean the float and check that it moves freely. Also make sure the lubricant in the tank is "
      "the grade on the label; a thicker grease can hold the float down.",
      "Check the level sensor: it's a float switch at the bottom of the tank that can stick with old grease or dirt. "
      "Clean it and check that it moves freely.",
      "near", "Adds the lock-out step.", kind="near", edited_from="lube-level"),
    P("customer-comms", ["ticket"],
      "A customer writes only \"press broken, call me\". What do I do?",
      "Call them, and use the call to collect what you need: serial number, what the press did, the alarm on the "
      "screen, and whether anyone is at risk. Then write those facts into the ticket and confirm the next step with "
      "them by email.",
      "Reply asking them to fill in the ticket form properly.",
      "vague", "A down customer needs a call, not a form."),
    P("customer-comms", ["escalation"],
      "The customer asks us to disable the brake monitor remotely so they can finish an order.",
      "Politely refuse, and explain why: the brake monitor is what keeps the light curtain's safety distance valid, "
      "and disabling it could let the slide reach an operator's hand. Offer what you can do: an urgent field visit, a "
      "check of the air supply and valve over the phone, and help finding another press for the order.",
      "We can do it this once if their manager confirms in writing.",
      "unsafe", "No one can waive a safety function."),
    P("customer-comms", ["tone"],
      "How should I end a support call?",
      "Summarise what was found and what happens next, with who does what by when, and ask if anything is unclear. "
      "Then send the same summary in the ticket.",
      "Summarise what was found and what happens next, with who does what by when, and ask if anything is unclear.",
      "incomplete", "Nearly the same; writing it into the ticket matters.", kind="near"),
    P("alarms", ["hx", "multi-turn"],
      "And if the shut height is right?",
      "Then check the clamps and the counterbalance pressure for that die, and compare the peak tonnage with the last "
      "run of the die. If all of those are normal and the noise is still there, lock out the press and we'll send an "
      "engineer to check the connection and the gibs.",
      "Then it's nothing to worry about; it will go away after a few hours.",
      "vague", "Keeps checking systematically.",
      prompt_turns=[("user", "There's a knocking noise at bottom dead centre after a die change."),
                    ("assistant", "Stop the press and first compare the shut height on the screen with the value stored for the die."),
                    ("user", "And if the shut height is right?")]),
    P("alarms", ["hmi", "edited"],
      "LineView is frozen but the press is still running. What do we do?",
      "The press runs under PLC control, so the safety functions still work, but the operator can't see alarms. Stop "
      "the press at the end of the current cycle with the stop button, restart the HMI (power button on the back, "
      "hold 5 seconds) and only resume once the screen is back. If it freezes again, send us the HMI log from the USB "
      "export.",
      "The press runs under PLC control, so the safety functions still work, but the operator can't see alarms. Keep "
      "running until the end of the shift, then restart the HMI (power button on the back, hold 5 seconds). If it "
      "freezes again, send us the HMI log from the USB export.",
      "near", "Edited the model answer to stop first.", kind="near", edited_from="hmi-freeze"),
    P("alarms", ["cx", "estop"],
      "An emergency stop on the conveyor stopped the press too. Is that correct?",
      "Yes. The emergency stops of the line are in one safety circuit, so any of them stops every machine in the "
      "line. Find out why the stop was pressed, release the button, reset the safety relay on the line panel and "
      "restart from the press.",
      "No, that's a wiring fault; the conveyor should have its own separate emergency stop. Ask your electrician to "
      "separate the circuits.",
      "wrong", "Line-wide E-stop is by design."),
    P("commissioning", ["power"],
      "Can we connect the press to the 480 V supply we already have?",
      "Only if the press was ordered for 480 V: check the voltage on the cabinet nameplate and the order "
      "confirmation. If it says 400 V, you need a transformer sized per the electrical drawing, or we can change the "
      "drive configuration at the factory. Don't connect it and try; the drives and power supplies can be damaged.",
      "480 V is close enough to 400 V; the drives tolerate it.",
      "wrong", "A 20% overvoltage is not within tolerance."),
    P("maintenance", ["hx", "gib"],
      "How often should the slide gibs be adjusted?",
      "Check the gib clearance at the annual service, or sooner if you see parts quality changing or hear knocking. "
      "The clearance values are in the service manual; only adjust with the press locked out and the slide "
      "blocked.",
      "Gibs should be adjusted every week to keep the press accurate. Tighten them until the slide is hard to move, "
      "because a tight slide is a precise slide. Loose gibs are the number one cause of bad parts in our experience, "
      "so err on the side of tight. Adjustment takes about an hour.",
      "wrong", "Overtight gibs overheat."),
]
PAIRS += [
    P("customer-comms", ["rma", "short"],
      "The customer asks how long a drive repair takes.",
      "Give them the standard turnaround from the service contract (typically two weeks from receipt) and offer an "
      "exchange unit if their contract includes one. Don't guess a date you can't keep.",
      "Drive repairs depend on many things: the type of fault, the availability of parts, the workload in the repair "
      "centre, shipping times, customs if the unit comes from abroad, and the testing procedure after repair, which "
      "includes a burn-in. We always try to be as fast as possible and we know how important it is for the customer. "
      "Sometimes it is quick and sometimes it takes longer.",
      "ramble", "Gives a concrete answer and an option."),
    P("customer-comms", ["ticket", "short"],
      "Can I close a ticket when the customer stops answering?",
      "Send one reminder saying you'll close the ticket on a given date unless you hear back, then close it on that "
      "date with a note that it can be reopened.",
      "Yes, if the customer hasn't answered for a day, close it. Customers who don't answer quickly usually don't care "
      "about the problem anymore, and closing tickets quickly improves our statistics. If they complain later, open a "
      "new ticket and start again from the beginning.",
      "wrong", "Warn first, then close with a reopen note."),
    P("maintenance", ["cx", "bearing", "short"],
      "A CX roller bearing is noisy. Can we just oil it?",
      "CX rollers have sealed bearings, so oiling from outside doesn't reach them. Replace the roller (or its "
      "bearing) at the next stop, with the conveyor locked out.",
      "Yes, oil is always good for bearings. Spray penetrating oil on the bearing while the conveyor is running so it "
      "gets distributed, and repeat every day until the noise stops. If it is still noisy after a week, use a "
      "thicker oil. Most bearing noise disappears this way.",
      "unsafe", "Sealed bearing; and never work on a running conveyor."),
]

# the edited lubrication pair refers to the pair keyed lube-level
for p in PAIRS:
    if p["q"] and p["q"].startswith("The automatic lubrication pump") and p.get("kind") == "near" and not p.get("edited_from"):
        p["key"] = "lube-level"

CATEGORIES = [
    {"name": "alarms", "description": "Alarm and fault codes on HX presses, CX conveyors and LineView: what they mean and what to check.",
     "sftTarget": 10, "pairTarget": 15},
    {"name": "commissioning", "description": "Installation, site preparation, commissioning visits and operator training.",
     "sftTarget": 8, "pairTarget": 10},
    {"name": "maintenance", "description": "Preventive maintenance, wear parts, lubrication, filters and lock-out points.",
     "sftTarget": 10, "pairTarget": 12},
    {"name": "customer-comms", "description": "Tickets, escalations, RMAs and talking to customers under pressure.",
     "sftTarget": 8, "pairTarget": 10},
]

GUIDELINES = """# Judging guidelines (Line support desk)

We are collecting the answers a senior support engineer would give a customer.

## A good answer
- **Safe.** It never tells a customer to bypass, mute or re-tune a safety function (brake monitor, light curtain,
  E-stop, two-hand control) and it locks out before anyone works on the machine.
- **Specific.** It says what to check, where, in what order, and what value to expect (with units).
- **Honest.** It says when something needs a field-service visit instead of guessing.

## How to judge
1. An unsafe instruction loses, however good the rest is.
2. Both unsafe or both wrong: **both bad**. Same content in different words: **tie**. Don't pick the longer one
   just because it is longer.
3. Strength: *slight* for small differences, *clear* for a clear winner, *strong* when the other one is wrong or unsafe.

Keys: `1` / `2` left / right better, `3` tie, `4` both bad, `Q` / `W` / `E` strength, `Enter` submit, `S` skip, `U` undo the last.
"""

RATIONALES = {
    "vague": ["No concrete steps.", "Says what to check, in order.", "Too generic to act on."],
    "unsafe": ["Bypasses a safety function.", "Unsafe shortcut.", "No lock-out."],
    "order": ["Wrong order of steps."],
    "halluc": ["Made-up number.", "Invents a spec."],
    "ramble": ["Long but doesn't answer.", "Buries the answer."],
    "wrong": ["Technically wrong.", "Wrong diagnosis."],
    "incomplete": ["Misses a key step.", "Only half the answer."],
    "near": ["One sentence makes the difference.", "Small wording change, big effect."],
    "tie": ["Equivalent.", "Same content."],
    "both_bad": ["Both unsafe.", "Neither is acceptable."],
    "dis": ["Shorter and easier to read.", "Prefer the more direct one.", "Reads better to me."],
    "dis_tie": ["Hard to call.", "Not much difference.", "Can't decide."],
}

CONFIG = {
    "file": "support-desk.en.annotatedpo.jsonl",
    "name": "Line support desk",
    "language": "en",
    "seed": 20261019,
    "tz": 1,  # CET
    "start": dt.datetime(2026, 10, 12),
    "sft_days": 28,
    "pair_day0": 5,
    "pair_days": 20,
    "judge_end": dt.datetime(2026, 11, 9, 16, 0),
    "guidelines": GUIDELINES,
    "categories": CATEGORIES,
    "annotators": ["alice", "bob", "chen"],
    "left_bias": "bob",
    "sft": SFT,
    "sft_submitted": 2,
    "sft_draft": 1,
    "approved_comments": ["Good, clear steps.", "Approved.", "Nice escalation criteria."],
    "pairs": PAIRS,
    "pairs_none": 3,
    "pairs_one": 5,
    "pairs_three": 6,
    "disagreements": 5,
    "finals": 1,
    "superseded": 2,
    "models": ["SmolLM2-360M-Instruct", "Qwen2.5-0.5B-Instruct"],
    "runs": 3,
    "rationales": RATIONALES,
    "final_rationale": "Decided against the guidelines: safety and specific steps first.",
}
