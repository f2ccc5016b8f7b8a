; s feeds a, a feeds the broken b (both switches closed), and b must feed
; t: b has current, so one switch before it must be opened before the
; repair and closed again, and b-t closed. Optimal: 4 steps.
(define (problem circuit-p1)
  (:domain circuit)
  (:objects s a b t - node)
  (:init (source s) (wire s a) (wire a b) (wire b t) (closed s a) (closed a b) (broken b))
  (:goal (powered t)))
