// /service-approval: approve or reject the current step (a POST; links never decide by themselves).
// Only our own two buttons inside the decision controls decide: never "every element with a class",
// which page content could imitate.
frappe.ready(() => {
	const controls = document.getElementById("ssp-decision");
	if (!controls) return;
	const request = controls.dataset.request;
	const $errors = $(controls.querySelector("#ssp-decision-errors"));
	const buttons = [controls.querySelector("#ssp-approve"), controls.querySelector("#ssp-reject")];
	// After a decision the page says what was decided, for whom and what happens next (never a
	// reload that only says there is nothing left to decide).
	const confirm = (result) => {
		const done = document.querySelector(".ssp-decided");
		done.querySelector(".ssp-decided-what").textContent = result.decided || "";
		done.querySelector(".ssp-decided-next").textContent = result.next || "";
		controls.remove();
		// The state and the trail above now say what the decision changed.
		const state = document.querySelector(".ssp-approval-state");
		if (state && result.status_text) state.textContent = result.status_text;
		const trail = document.querySelector(".ssp-approval-trail");
		if (trail && result.approvals) {
			trail.replaceChildren(
				...result.approvals.map((a) => {
					const li = document.createElement("li");
					li.className = "mb-1";
					const label = document.createElement("strong");
					label.textContent = a.label;
					const when = a.decided_on_display ? ` · ${a.decided_on_display}` : "";
					li.append(label, `: ${a.approver} — ${a.decision_label}${when}`);
					if (a.comment) {
						const note = document.createElement("div");
						note.className = "text-muted";
						note.style.whiteSpace = "pre-wrap";
						note.textContent = `“${a.comment}”`;
						li.append(note);
					}
					return li;
				})
			);
		}
		done.style.display = "";
		done.focus();
	};
	for (const button of buttons) {
		if (!button) continue;
		button.addEventListener("click", () => {
			if (buttons.some((b) => b && b.disabled)) return; // one decision at a time
			$errors.hide();
			buttons.forEach((b) => b && (b.disabled = true));
			// fetch, not frappe.call: Frappe's popup would repeat the error shown in the box.
			fetch("/api/method/selfservice_portal.api.catalog.decide_approval", {
				method: "POST",
				headers: {
					Accept: "application/json",
					"X-Frappe-CSRF-Token": frappe.csrf_token,
					"X-Requested-With": "XMLHttpRequest",
				},
				body: new URLSearchParams({
					request,
					decision: button.dataset.decision,
					comment: controls.querySelector("#ssp-comment").value,
				}),
			})
				.then(async (response) => {
					const data = await response.json().catch(() => ({}));
					if (response.ok) return confirm(data.message);
					let text = __("The decision could not be saved.");
					try {
						text = JSON.parse(JSON.parse(data._server_messages)[0]).message;
					} catch (_) {}
					throw text;
				})
				.catch((text) => {
					buttons.forEach((b) => b && (b.disabled = false));
					// Server messages escape what users typed; anything else is our own text.
					$errors.html(typeof text === "string" ? text : __("The decision could not be saved.")).show();
				});
		});
	}
});
