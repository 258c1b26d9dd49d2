"""What backers see: the page, the JSON summary, badge, share card, freshness."""
