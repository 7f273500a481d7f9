// /service-approval: approve or reject the current step (a POST; links never decide by themselves).
// Only our own two buttons inside the decision controls decide: never "every element with a class",
// which page content could imitate.
frappe.ready(() => {
	const controls = document.getElementById("ssp-decision");
	if (!controls) return;
	const request = controls.dataset.request;
	const $errors = $(controls.querySelector("#ssp-decision-errors"));
	for (const button of [controls.querySelector("#ssp-approve"), controls.querySelector("#ssp-reject")]) {
		if (!button) continue;
		button.addEventListener("click", () => {
			$errors.hide();
			frappe
				.call({
					method: "selfservice_portal.api.catalog.decide_approval",
					type: "POST",
					args: {
						request,
						decision: button.dataset.decision,
						comment: controls.querySelector("#ssp-comment").value,
					},
				})
				.then(() => window.location.reload())
				.catch((err) => {
					let text = __("The decision could not be saved.");
					try {
						text = JSON.parse(JSON.parse(err.responseJSON._server_messages)[0]).message;
					} catch (_) {}
					$errors.html(text).show(); // server messages escape what users typed
				});
		});
	}
});
