"""English sentence pools of the sample (pure data, written for voc).

Slots in braces are filled per record (see pool_zh.py for the list). Sentences carry their
own final punctuation.
"""

ISSUE_CORE: dict[str, tuple[str, ...]] = {
    "delivery_delay": (
        "I ordered on {date} and it's been {days} days, still no package.",
        "Tracking hasn't updated in {days} days, it's stuck at the {city} hub.",
        "Paid for next-day delivery and it took {days} days to arrive.",
        "My order still says awaiting shipment after {days} days.",
        "Parcel {tracking} has been in transit for over a week.",
        "The site promised dispatch within 48 hours; we're now on day {days}.",
        "The delivery window keeps getting pushed back, three times so far.",
        "The driver marked it out for delivery all day and then it just never came.",
        "Ordered {a_product} for a birthday and it showed up {days} days late.",
        "Shipping is painfully slow lately, everything takes a week or more.",
        "It's been sitting at label created for {days} days.",
        "The groceries arrived {hours} hours late and the ice packs had melted.",
        "Estimated delivery was {date}, we're well past that now.",
        "My parcel has been in {city} for {days} days with no movement at all.",
        "Why does it take {days} days to ship something that's in stock?",
        "I booked a morning slot and the order turned up after 9pm.",
        "Every day the tracking says in transit and nothing changes.",
        "Delivery used to take two days, now it's closer to ten.",
        "The order only shipped {days} days after I paid, which is ridiculous.",
        "I waited at home all day for a delivery that never came.",
        "The courier says they never received the package from your warehouse.",
        "Order {order} was supposed to arrive last week and still hasn't.",
        "Late again, the third order in a row that missed the promised date.",
        "Two weeks for {a_product} is not acceptable for express shipping.",
    ),
    "refund_delay": (
        "I returned the item on {date} and still haven't seen my refund.",
        "My refund request has been under review for {weeks} weeks.",
        "You said 3-5 business days for the refund, it's been over two weeks.",
        "Cancelled order {order} and the {amount} refund never arrived.",
        "The app says refunded but nothing has hit my bank account.",
        "Nobody is processing my refund request, it just sits there.",
        "Your warehouse signed for the return {days} days ago. Where is my money?",
        "Still waiting on a refund of {amount} after almost a month.",
        "Every time I ask about the refund I'm told it's in progress.",
        "My refund was rejected with no explanation at all.",
        "It took you seconds to take my money and weeks to give it back.",
        "The refund status has been stuck on processing since {date}.",
        "I was promised a price-difference refund that never came.",
        "Returned the {product} unopened and still no refund after {weeks} weeks.",
        "Only a partial refund came through, the remaining {amount} is missing.",
        "Support closed my refund ticket without paying me.",
        "The refund hasn't shown up on my credit card statement.",
        "I refused the delivery and it went back to you, but no refund yet.",
        "Three different agents told me the refund would be done in 48 hours.",
        "Where did my refund go? Not on my card, not in my wallet balance.",
        "The refund request I filed {weeks} weeks ago has had zero response.",
        "I'm out {amount} because your refund process is broken.",
        "Other stores refund the same day, you take a month.",
        "Still no refund for an order I cancelled before it even shipped.",
    ),
    "hotline_unreachable": (
        "I can't get through to customer service, the line is always busy.",
        "Been on hold for {minutes} minutes and then the call dropped.",
        "Your hotline keeps saying all agents are busy, for an hour now.",
        "There's no way to reach a real person, the phone menu loops forever.",
        "Called all morning and nobody ever picked up.",
        "The queue said I was number {queue}, then it hung up on me.",
        "Live chat is just a bot, and asking for an agent means a {minutes} minute wait.",
        "Tried calling {n} times today, every time it went to hold music and disconnected.",
        "I requested a callback two days ago and nobody called.",
        "Waited on hold for an hour just to be told the system is down.",
        "Pressing 0 for an operator does nothing.",
        "After {minutes} minutes on hold the agent transferred me straight back into the queue.",
        "Support hours say 9 to 9 but nobody answers after 7.",
        "Why is it impossible to talk to an actual human at your company?",
        "Left a voicemail as instructed and never heard back.",
        "I spent more on the phone bill waiting than the item cost.",
        "The phone line goes straight to a recording telling me to use the app.",
        "I was passed between three departments and then cut off.",
        "Customer service is unreachable, phone, chat, everything.",
        "Your promise of a callback within 2 hours turned into never.",
        "Hold times are ridiculous, {minutes} minutes minimum every time.",
        "The chat says an agent is joining and then nothing happens.",
        "I've been trying to reach support since {date} with no luck.",
        "No one answers the hotline during business hours.",
    ),
    "app_login": (
        "Since updating to {version} the app crashes as soon as it opens.",
        "Can't log in, it just says network error on wifi and on mobile data.",
        "The verification code never arrives, I waited {minutes} minutes.",
        "The new version won't log me in, the spinner goes on forever.",
        "The app crashes on launch after the latest update.",
        "My account suddenly says abnormal activity and locks me out.",
        "Tapping My Orders closes the app instantly.",
        "Every login now asks for an SMS code, and half the time it doesn't come.",
        "Stuck on the splash screen since the update.",
        "The Android version crashes the moment I sign in.",
        "Face verification keeps failing so I can't get in.",
        "Social login fails with an authorization error.",
        "Can't reset my password because the code never shows up.",
        "Logged out once and now I can't log back in.",
        "The app opens to a blank white screen.",
        "It crashed at checkout twice and I lost my cart.",
        "I get kicked out a few seconds after logging in.",
        "Requested the code six times and received none.",
        "The update broke login completely, it worked fine before.",
        "The code says expired even though I just received it.",
        "It crashes so often I can't finish placing an order.",
        "The login button doesn't respond after the update.",
        "It forces me to update, and after updating it won't open.",
        "It says wrong password even right after a reset.",
    ),
    "double_charge": (
        "I was charged twice for one order, {amount} taken two times.",
        "Payment said it failed, I retried, and both charges went through.",
        "My bank statement shows the same order billed twice.",
        "Double charged {amount} and it still hasn't been reversed.",
        "I bought one {product} and got charged for two.",
        "My membership auto-renewed twice this month.",
        "Got two payment notifications in the same minute for one order.",
        "Checkout asked me to pay again after it succeeded, now I've paid double.",
        "There are two identical {amount} charges on my credit card.",
        "You billed me twice and support says they can't see it.",
        "Order {order} was charged twice. When do I get the extra back?",
        "The payment page froze, I tapped once more, and it charged me twice.",
        "Charged once on my wallet balance and again on my card.",
        "A week since the duplicate charge and still no explanation.",
        "Subscription fee taken twice in the same billing cycle.",
        "Two charges, but the order page only lists one.",
        "The {amount} payment from {date} went through twice.",
        "I can see the duplicate in my account history, yet your agent says all is fine.",
        "Charged twice for a single purchase, how does that even happen?",
        "My bank confirmed you took the money twice.",
        "An extra charge appeared with no warning at all.",
        "Even the shipping fee was charged twice, {amount} extra in total.",
        "You said the duplicate would reverse automatically. It didn't.",
        "The installment plan billed two installments at once.",
    ),
    "damaged_item": (
        "The {product} arrived with the box completely crushed and the item broken.",
        "The box was torn open on arrival, contents everywhere.",
        "Opened it to find the {product} cracked right across the front.",
        "Arrived broken, doesn't work at all.",
        "It came in one thin plastic bag and the {product} has a big dent.",
        "Half the eggs were smashed.",
        "There's a visible crack running down the {product}.",
        "The box was soaked and the {product} inside is water damaged.",
        "The item arrived bent out of shape.",
        "The package was damaged and a part is missing.",
        "The casing of the {product} was shattered when I unboxed it.",
        "All the glasses broke, no padding whatsoever.",
        "Most of the fruit was bruised and squashed.",
        "Watched the driver throw my parcel, and now the {product} is broken.",
        "The {product} started smoking when I plugged it in, dead on arrival.",
        "The carton was crushed and the tape had been opened.",
        "The cake had collapsed by the time it got here.",
        "It looks used, scratches all over the {product}.",
        "There's a hole in the box and things were falling out.",
        "A fragile item shipped with zero bubble wrap.",
        "Paid {amount} for {a_product} that arrived smashed.",
        "The jacket arrived with the bag ripped and stains on it.",
        "Didn't notice at the door, opened it at home and it was broken.",
        "Two bottles leaked through the whole box.",
    ),
    "parcel_locker_code": (
        "My parcel went into a locker but I never got the pickup code.",
        "The locker code says expired and my package is still inside.",
        "Tracking says delivered to locker, no code message at all.",
        "I entered the pickup code and the locker says it's invalid.",
        "The code expired before I even received it, and the parcel got sent back.",
        "The locker wants an overdue fee but I never got a code.",
        "Delivered to {locker} with no pickup code, how am I supposed to get it?",
        "The code in the app and the one in the text don't match, and neither works.",
        "My pickup code arrived 24 hours late and was already void.",
        "Scanning the QR code at the locker fails and there's no code to type.",
        "The package sat in {locker} for two days and no code was ever sent.",
        "The pickup code went to my old phone number.",
        "The locker screen says code invalid and the driver says it's not his problem.",
        "I deleted the one-time code by accident and there's no way to resend it.",
        "The locker says already collected, but I never collected it.",
        "The driver dropped it in a locker without a word or a code.",
        "No code, so the parcel timed out and was removed from the locker.",
        "The order was split into two parcels and only one pickup code came.",
        "The resend code button in the app does nothing.",
        "Fresh groceries went into a locker and the code came the next day, food spoiled.",
        "The locker code shows pending in the app forever.",
        "The pickup code has an extra digit and never works.",
        "At {locker} the code says already used.",
        "No pickup code again, this keeps happening with the new lockers.",
    ),
}

ISSUE_DETAIL: dict[str, tuple[str, ...]] = {
    "delivery_delay": (
        "Order number is {order}.", "Tracking number {tracking}, check it yourself.",
        "I live in central {city}, not some remote village.",
        "I paid {amount} extra for express shipping.", "It was a gift and the occasion has passed.",
        "The estimated date on the order page was {date}.",
        "A friend ordered the same day and got theirs days ago.",
        "I took half a day off work to wait for it.",
        "The last tracking event is from {days} days ago.",
        "Support keeps telling me to wait another 24 hours.",
        "I chased this twice already and got the same canned reply.",
        "I need the {product} for work, so this is costing me.",
    ),
    "refund_delay": (
        "The refund amount is {amount}.",
        "Return tracking {tracking} shows it was delivered on {date}.",
        "Order number {order}, it's all in your system.",
        "I paid by credit card and the statement is already out.",
        "I have screenshots of the refund request.", "That money was meant for rent this month.",
        "I submitted the request twice through the app.",
        "I gave the ticket number and nobody followed up.",
        "The {product} went back in its original packaging.",
        "My bank says nothing has been issued from your side.",
        "This isn't the first refund that dragged on like this.",
        "Please just tell me the actual date the money will arrive.",
    ),
    "hotline_unreachable": (
        "It's about order {order}.", "I tried from two different phones, it's not my signal.",
        "I called from 10am until 3pm on and off.",
        "The automated menu has about six layers and none lead to a person.",
        "Chat is no better, it says I'm in a queue.",
        "I just have a simple question about my {product}.",
        "My parents can't use the app, the phone is the only way for them.",
        "The hold music is interrupted by ads every 30 seconds.",
        "When someone finally answered, they told me to use the app instead.",
        "The last ticket I opened was never followed up either.",
        "I have screenshots of the call log.", "I'm losing hours of work waiting on hold.",
    ),
    "app_login": (
        "I'm on version {version}.", "Reinstalled twice and cleared the cache, no change.",
        "Same thing on my partner's phone.", "I have {amount} of store credit sitting in there.",
        "My coupons expire tomorrow and I can't use them.",
        "It worked yesterday, the update last night broke it.",
        "SMS isn't blocked, I checked the spam folder.", "My phone's OS is fully up to date.",
        "Support told me to clear the cache, which did nothing.",
        "An error pops up for a split second before it closes.",
        "Tried switching from wifi to mobile data.", "Please roll back this version.",
    ),
    "double_charge": (
        "The two charges are one minute apart.", "Order number {order}.",
        "My bank says they are two separate charges.", "I have screenshots of both payment texts.",
        "The extra charge is {amount}.", "It has eaten into my card limit.",
        "My card bill is due at the end of the month.", "Never had this happen before.",
        "I've asked three times and every time I'm told to wait for review.",
        "My partner's account was charged twice too.",
        "Please refund the extra charge to the original card.",
        "The charge was on the evening of {date}.",
    ),
    "damaged_item": (
        "I filmed the unboxing and can send it.", "Photos are uploaded under order {order}.",
        "It was a gift, now I can't give it.", "I want a replacement, not a repair.",
        "The driver rushed me to sign without checking.", "There are footprints on the outer box.",
        "This is not the first damaged delivery I've had.", "It wasn't cheap, {amount}.",
        "Returns want me to pay to ship it back?",
        "It was left at a pickup point and was already damaged.",
        "Even the manual was soaked.", "Order {order}.",
    ),
    "parcel_locker_code": (
        "The locker is {locker}.",
        "Order {order}, tracking says it went into the locker on {date}.",
        "I was home all day, you could have just delivered to my door.",
        "Now I'm being asked to pay the overdue fee.", "There's no help button on the locker.",
        "Building management can't open it either.",
        "It's {a_product}, it can't sit there for days.",
        "I checked spam and blocked messages.", "Lockers used to work fine until this month.",
        "Neighbours in my building have the same problem.", "Just deliver to the door please.",
        "This is the second locker delivery this month without a code.",
    ),
}

ISSUE_TITLE: dict[str, tuple[str, ...]] = {
    "delivery_delay": ("Slow delivery", "Still waiting", "Where is my order", "Late again",
                       "Shipping takes forever", "Stuck in transit", "Missed delivery date"),
    "refund_delay": ("Still no refund", "Refund missing", "Where is my refund",
                     "Refund takes forever", "Refund ignored", "Returned but not refunded"),
    "hotline_unreachable": ("Can't reach support", "Nobody answers", "Endless hold",
                            "No human support", "Support unreachable", "Callback never came"),
    "app_login": ("Crashes after update", "Can't log in", "No verification code",
                  "Broken update", "App won't open", "Keeps crashing", "Login broken"),
    "double_charge": ("Charged twice", "Double charged", "Duplicate payment",
                      "Billing error", "Refund my double charge", "Charged two times"),
    "damaged_item": ("Arrived broken", "Damaged package", "Broken on arrival", "Crushed box",
                     "Poor packaging", "Smashed in transit"),
    "parcel_locker_code": ("No pickup code", "Locker code expired", "Locker won't open",
                           "Pickup code never came", "Locker problems"),
}

REPEAT: tuple[str, ...] = (
    "This is the {nth} time I'm contacting you about this.",
    "Still not resolved, {nth} time contacting you.",
    "I called last week and was promised a fix, nothing happened.",
    "I already reported this once and nobody followed up.",
    "{nth_cap} time calling, same problem, same excuses.",
    "Back again about the same issue because nobody called me back.",
    "I've now explained this {n_times} to different agents.",
    "I chatted with you about this a few days ago and it's still open.",
    "Same complaint as before, you have my ticket number.",
    "It's me again, still waiting for the callback you promised.",
    "{nth_cap} attempt to get this sorted, please escalate.",
    "Every time I contact you I have to start from scratch.",
)

ESCALATION: tuple[str, ...] = (
    "If this isn't fixed I'm filing a complaint with the BBB.",
    "I've started a dispute with my bank.",
    "I'm reporting this to the CFPB.", "My lawyer will be in touch if this isn't refunded.",
    "I've filed a chargeback with my card issuer.", "Next step is small claims court.",
    "I'm filing a complaint with consumer protection.", "I'll be contacting my attorney on Monday.",
    "I've already opened a dispute with my card company.",
    "Consider this a formal complaint, I'm escalating to the regulator.",
    "I'll report you to the BBB if this drags on.", "Fix it or I'm going to my bank and a lawyer.",
)

CLOSER: tuple[str, ...] = (
    "Please fix this.", "Very disappointed.", "Sort it out.", "I expect a reply today.",
    "Terrible experience.", "Not ordering again.", "Please get back to me asap.",
    "This is unacceptable.", "Please escalate.", "Really frustrating.", "I want this resolved now.",
    "Do better.", "What a mess.", "Waiting for your answer.", "I'm done with this.",
    "Please look into it.", "Totally unacceptable service.", "Not impressed.", "Fix it.",
    "I'd like a proper explanation.",
)

CONTRAST: tuple[str, ...] = (
    "The food is great, but ", "Love the products, but ", "Prices are fair, however ",
    "Staff in store are lovely, but ", "The app looks nice, but ",
    "I've been a loyal customer for years, but ", "Quality is good, but ",
    "Packaging is pretty, but ", "The driver was friendly, but ", "Overall I like you guys, but ",
    "Groceries are always fresh, but ", "Great deals this month, but ",
    "Your agents are polite, but ", "The membership perks are nice, but ",
    "Usually no complaints, but ",
)

PRAISE: tuple[str, ...] = (
    "Fast delivery, arrived the next day.", "The support agent was super friendly and patient.",
    "Great quality, exactly as described.", "The app is easy to use and checkout is quick.",
    "Fruit was fresh and nicely packed.", "Good prices and frequent deals.",
    "The driver was on time and even carried it upstairs.",
    "The store in {city} is clean and the staff are helpful.",
    "Returns were painless, they picked it up from my door.",
    "Loyalty points are actually worth something.",
    "The {product} works great, the whole family loves it.", "Shipped quickly and well packaged.",
    "Ordered many times and never had a problem.", "After-sales handled my issue fast, thumbs up.",
    "Chat support answered within minutes and fixed it.", "Clean layout, easy to find things.",
    "Groceries are consistently fresh.", "Bought in the {city} store, excellent service.",
    "The delivery guy was very polite.", "Eco-friendly packaging, no extra plastic.",
    "Great value, I've recommended you to friends.",
    "This {product} is even better than the last one I bought.",
    "Thoughtful free gift in the box.", "The driver called ahead to confirm, very professional.",
    "Lots of new products every week.", "Getting an invoice in the app is easy.",
    "Staff spent ages helping me choose, so patient.", "The delivery slot was spot on.",
    "Overall a great experience, will keep shopping here.", "Coupons saved me a lot this month.",
    "The agent remembered my previous issue, impressive.", "The product description was accurate.",
    "Ordered at night, arrived in the morning.",
    "Better quality than expected, worth the {amount}.",
    "My last refund came through in a day, very smooth.", "Tracking updates are timely.",
    "Click and collect is handy on my way home.",
    "Packed carefully, the {product} arrived perfect.",
    "Been a customer for years, always happy.", "Promotions are clear, no tricks.",
)

PRAISE_SHORT: tuple[str, ...] = (
    "Great!", "Love it", "Good service", "Very happy", "Fast and easy", "5 stars", "Excellent",
    "All good", "No complaints", "Nice app", "Works well", "Super quick", "Great service",
)

PRAISE_TITLE: tuple[str, ...] = (
    "Love it", "Great app", "Five stars", "Very handy", "Recommended", "Super fast",
    "Reliable", "Great service", "Getting better", "Happy customer", "Worth it", "Clean design",
)

NEUTRAL_QUESTION: tuple[str, ...] = (
    "How do I change my delivery address?", "Can I get a VAT invoice for my order?",
    "What are your store opening hours?", "Is there a store in {city}?",
    "Where can I check my loyalty points?", "Can two orders be shipped together?",
    "Will the {product} be back in stock soon?", "How do I turn off auto-renewal?",
    "Do you deliver on weekends?", "Where do I download the e-invoice?",
    "Can I change the delivery time after ordering?", "What's the warranty on the {product}?",
    "Is there a minimum spend for this coupon?", "Can the invoice be issued to my company?",
    "Do you offer cash on delivery?", "Do you deliver to the suburbs of {city}?",
    "What does regular fit mean on the size chart?",
    "How do I change the phone number on my account?", "Are holiday opening hours different?",
    "Do you have a trade-in program for the {product}?", "How do I claim the birthday voucher?",
    "Can I book an evening delivery slot?", "My points expire soon, what can I redeem?",
    "Any discount for business orders?", "How do I become a member?",
    "What are the dimensions of the {product}?", "Can I add an item to an existing order?",
    "I misspelled the recipient name, does it matter?", "Can I get a paper receipt?",
    "Can I return an online order in store?",
)

NEUTRAL_CONTEXT: tuple[str, ...] = (
    "I'm in {city}.", "Order {order}.", "Thanks!", "Thanks in advance.",
    "Couldn't find it in the help centre.", "First time ordering, so not sure how it works.",
    "Quick answer appreciated.",
)

NEUTRAL_REMARK: tuple[str, ...] = (
    "It's fine, nothing special.", "Does the job.", "About the same as other shops.",
    "Average product, average price.", "Used it a few times, seems okay.", "Okay, it works.",
    "No strong opinion either way.", "Could be a bit cheaper.",
    "The store is small but has most things.",
    "The {product} is okay, colour differs from the photo.",
    "Delivery was normal, product was normal.", "Meh.", "First order, let's see how it goes.",
    "Neither great nor bad.", "Shopped at the {city} store a few times, pretty ordinary.",
)

NEUTRAL_TITLE: tuple[str, ...] = ("Question", "Okay", "Average", "Fine", "Suggestion", "Meh")

SUGGESTION: tuple[str, ...] = (
    "Please add evening delivery slots.", "A dark mode in the app would be nice.",
    "Open more stores in {city}, please.", "Let family members share points.",
    "Smaller pack sizes for fresh produce would help.",
    "Show the estimated delivery time on the order page.", "Support more payment methods.",
    "The packaging could be greener.", "Add video calls for product questions.",
    "Search results could be more accurate.", "An accessibility mode for older users would help.",
    "Let me merge invoices for several orders.", "More weekend promotions please.",
    "Let reviews be sorted by date.", "Bring next-day delivery to {city}.",
)

PII: dict[str, tuple[str, ...]] = {
    "mobile": ("Call me back on {value}.", "My number is {value} if you need it.",
               "You can reach me on {value}."),
    "landline": ("My office line is {value}.", "Call my home number {value} in the evening."),
    "email": ("My email is {value}.", "Please send the outcome to {value}.",
              "Reply to {value} please."),
    "id_number": ("My ID number is {value} if you need to verify the account.",),
    "bank_card": ("The card that was charged is {value}.", "Refund to card {value} please.",
                  "Card number {value} is the one on the account."),
}

# --- calls and chats ---------------------------------------------------------------------------
CALL_OPENER: tuple[str, ...] = ("Hi, yes. ", "Hello. ", "Hi there. ", "Yeah hi. ", "")
CALL_PRAISE_OPENER: tuple[str, ...] = ("I'm just calling to say thanks. ",
                                       "Nothing wrong, I wanted to give some good feedback. ")
CUSTOMER_ACK: tuple[str, ...] = ("Okay, thanks.", "Fine, please be quick.", "Alright, I'll wait.",
                                 "Okay.", "Thanks, bye.", "Right, thank you.")
CHAT_HUMAN: tuple[str, ...] = ("agent", "talk to a human", "human please", "hello?")
AGENT_GREETING: tuple[str, ...] = (
    "Thank you for contacting Maplepoint, this is {staff}, how can I help?",
    "Hi, you're through to Maplepoint customer care, agent {agent} speaking.",
    "Hello, thanks for waiting. What can I do for you today?",
)
AGENT_ASK: tuple[str, ...] = ("Could I have your order number please?",
                              "Can you confirm the last four digits of your phone number?",
                              "Let me look into that, one moment please.",
                              "Could you tell me a bit more about what happened?")
AGENT_LISTEN: tuple[str, ...] = ("Sure, go on.", "I see.", "Anything else?", "Okay, understood.")
AGENT_APOLOGY: tuple[str, ...] = ("I'm really sorry about that.", "Apologies for the wait.",
                                  "I completely understand your frustration.",
                                  "I'm sorry for the trouble this has caused.")
AGENT_PROMISE: dict[str, tuple[str, ...]] = {
    "delivery_delay": ("I've escalated this with the depot and you'll hear back within 24 hours.",
                       "I've flagged it for priority delivery and you'll get a text update."),
    "refund_delay": ("I've raised an urgent refund request, it should land within 3 business days.",
                     "I've asked finance to check the refund status today."),
    "hotline_unreachable": ("Sorry for the long wait, I'll personally follow this up.",
                            "I've booked a priority callback for you today."),
    "app_login": ("Our developers are fixing this version, please use the website meanwhile.",
                  "I've opened a technical ticket and we'll notify you once it's fixed."),
    "double_charge": ("I've requested the duplicate charge be reversed to your card.",
                      "Finance will verify it and refund the extra amount in full."),
    "damaged_item": ("Please upload photos and we'll send a replacement or refund.",
                     "We'll arrange a free pickup and a brand new replacement."),
    "parcel_locker_code": ("I've asked the locker operator to issue a new code.",
                           "I've arranged for the parcel to be redelivered to your door."),
}
AGENT_BACKGROUND: dict[str, tuple[str, ...]] = {
    "praise": ("Thank you so much, I'll pass that on to the team!",
               "That's lovely to hear, thanks."),
    "neutral": ("You can do that yourself under Account in the app.",
                "Sure, I've added a note to your order.", "I'll text you the details shortly."),
    "suggestion": ("Thanks for the suggestion, I've logged it with our product team.",
                   "Great idea, I'll pass it along."),
}
AGENT_CLOSING: tuple[str, ...] = ("Is there anything else I can help with?",
                                  "Thanks for calling Maplepoint, have a good day.",
                                  "You may get a short survey after this, thanks for your time.")
BOT_GREETING: tuple[str, ...] = ("Hi! I'm Maple, your virtual assistant. How can I help?",
                                 "Welcome to Maplepoint chat. What can I help you with today?")
BOT_TRANSFER: tuple[str, ...] = ("Connecting you to a human agent...",
                                 "An agent will be with you shortly.")
BOT_IDLE: tuple[str, ...] = ("Are you still there?", "This chat has ended due to inactivity.")
STAFF: tuple[str, ...] = ("Amy", "Ben", "Carla", "David", "Ella", "Frank")

# --- e-mail ------------------------------------------------------------------------------------
EMAIL_GREETING: tuple[str, ...] = ("Hi,", "Hello,", "Dear Maplepoint support,", "Hi team,",
                                   "To whom it may concern,")
EMAIL_SIGNOFF: tuple[str, ...] = ("Best regards,", "Thanks,", "Kind regards,", "Cheers,",
                                  "Regards,")
EMAIL_SENT_FROM: tuple[str, ...] = ("Sent from my iPhone", "Sent from my phone")
EMAIL_REPLY: tuple[str, ...] = (
    "Dear {name},\nThank you for contacting Maplepoint. We have escalated your {topic} concern "
    "(ticket {ticket}) and will update you within {days} business days.\nMaplepoint Customer Care",
    "Hi {name},\nSorry to hear about the {topic} problem. I've passed it to the right team under "
    "ticket {ticket}.\n{staff}, Maplepoint Support",
    "Hello {name},\nWe apologise for the inconvenience. Your {topic} case {ticket} is being "
    "reviewed; please allow {days} business days.\nThe Maplepoint team",
)
REPLY_PREFIX = "Re: "
TOPIC: dict[str, str] = {
    "delivery_delay": "delivery", "refund_delay": "refund", "hotline_unreachable": "contact",
    "app_login": "app login", "double_charge": "duplicate charge", "damaged_item": "damaged item",
    "parcel_locker_code": "parcel locker", "": "enquiry",
}

# --- social --------------------------------------------------------------------------------------
TWITTER_MENTION: tuple[str, ...] = ("@MaplepointHelp ", "@Maplepoint ", "@MaplepointCares ", "")
TWITTER_TAG: dict[str, tuple[str, ...]] = {
    "issue": ("#Maplepoint", "#customerservice", "#fail", "#badservice", "#help"),
    "praise": ("#Maplepoint", "#happycustomer", "#shopping", "#thanks"),
}

# One long complaint that several accounts copy-paste (planted near-duplicates, 2026-10).
SPAM = (
    "PSA: do NOT trust @Maplepoint with your money. I returned a $249.99 espresso machine at the "
    "end of September, their warehouse signed for it, and a month later there is still no refund. "
    "Support keeps saying it is processing, please wait 3-5 business days, every single time I "
    "ask. Several friends have had the exact same thing happen with their returns. Retweet so "
    "more people see this before they order anything. #Maplepoint #refund #scam"
)
SPAM_EDITS: tuple[tuple[str, str], ...] = (
    ("PSA:", "PSA -"), ("money.", "money!!"), ("#scam", "#scam 😤"), ("Several friends",
     "Many friends"),
    ("Retweet", "Please retweet"), ("every single time", "every time"),
)
