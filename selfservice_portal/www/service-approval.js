// /service-approval: approve or reject the current step (a POST; links never decide by themselves).
frappe.ready(() => {
	$(".ssp-decide").on("click", function () {
		const request = $(".ssp-approval [data-request]").data("request");
		const $errors = $(".ssp-errors").hide();
		frappe
			.call({
				method: "selfservice_portal.api.catalog.decide_approval",
				type: "POST",
				args: { request, decision: this.dataset.decision, comment: $("#ssp-comment").val() },
			})
			.then(() => window.location.reload())
			.catch((err) => {
				let text = __("The decision could not be saved.");
				try {
					text = JSON.parse(JSON.parse(err.responseJSON._server_messages)[0]).message;
				} catch (_) {}
				$errors.html(text).show();
			});
	});
});
